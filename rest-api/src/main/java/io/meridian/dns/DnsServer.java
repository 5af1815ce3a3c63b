package io.meridian.dns;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The DNS interface on UDP and TCP, both on one port. Over UDP an answer is cut to 512 bytes, or to the EDNS0 size the
 * client offers (up to 4,096), with the TC bit set when something was left out; over TCP the whole answer comes back.
 * A packet that cannot be read is answered FORMERR when its header can be read and dropped otherwise; nothing a
 * client sends stops the server. A service lookup's answer is kept and given again while the service's view is the
 * same ({@link KeptAnswers}): over UDP the receiving thread sends it at once ({@link UdpEndpoint}, which reads and
 * sends in batches), and only the other queries wait for a worker. {@link #drain} stops taking queries and answers
 * those in flight; {@link #close()} stops both sockets and their threads at once.
 */
public final class DnsServer implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(DnsServer.class.getName());
    private static final int PLAIN_UDP_SIZE = 512;
    private static final int MAX_UDP_SIZE = 4096;
    private static final int HEADER_SIZE = 12;
    private static final int TCP_IDLE_MILLIS = 10_000;
    /** Bounds on what clients can make a server hold: TCP connections (each a thread) and queued UDP queries. */
    static final int MAX_TCP_CONNECTIONS = 64;
    static final Duration TCP_CONNECTION_TIME = Duration.ofSeconds(30);
    static final int UDP_QUEUE = 1_024;
    private static final int UDP_WORKERS = 4;
    private static final Set<Integer> COUNTED_TYPES = Set.of(Type.A, Type.AAAA, Type.SRV, Type.TXT, Type.ANY,
            Type.PTR, Type.SOA, Type.NS, Type.CNAME, Type.MX, Type.HTTPS, Type.SVCB);

    private static final String NOERROR = Rcode.string(Rcode.NOERROR);

    private final DnsAnswerer answerer;
    private final KeptAnswers keptAnswers;
    private final MeterRegistry meters;
    /** The query counters by type and result, both from bounded sets. */
    private final Map<CounterKey, Counter> counters = new ConcurrentHashMap<>();
    private final UdpEndpoint udp;
    private final ServerSocket tcp;
    private final ExecutorService workers;
    private final ExecutorService connections;
    private final Semaphore connectionSlots;
    private final Duration connectionTime;
    private final ScheduledExecutorService deadlines = Executors.newSingleThreadScheduledExecutor(
            named("meridian-dns-tcp-deadline"));
    private final Thread tcpAcceptor;

    private DnsServer(DnsAnswerer answerer, MeterRegistry meters, InetAddress address, int port,
                      int maxTcpConnections, Duration connectionTime) throws IOException {
        this.answerer = answerer;
        this.keptAnswers = new KeptAnswers(answerer);
        this.meters = meters;
        this.connectionTime = connectionTime;
        this.connectionSlots = new Semaphore(maxTcpConnections);
        this.workers = new ThreadPoolExecutor(UDP_WORKERS, UDP_WORKERS, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(UDP_QUEUE), named("meridian-dns-worker"),
                (query, full) -> count("udp-queue-full", "dropped"));
        // The permits bound the connections; the queue only holds one whose permit came back a moment before its
        // thread was free again, so execute never refuses.
        ThreadPoolExecutor perConnection = new ThreadPoolExecutor(maxTcpConnections, maxTcpConnections, 60,
                TimeUnit.SECONDS, new LinkedBlockingQueue<>(), named("meridian-dns-tcp"));
        perConnection.allowCoreThreadTimeOut(true);
        this.connections = perConnection;
        try {
            this.udp = UdpEndpoint.open(address, port, MAX_UDP_SIZE, new UdpEndpoint.Answers() {
                @Override
                public byte[] atOnce(byte[] request) {
                    return keptAnswer(request, true);
                }

                @Override
                public byte[] afresh(byte[] request) {
                    return answerAfresh(request, true);
                }
            }, workers, named("meridian-dns-udp"));
            this.tcp = new ServerSocket();
            tcp.setReuseAddress(true);
            tcp.bind(new InetSocketAddress(address, udp.port()));
        } catch (IOException e) {
            // Whichever socket could not be bound: release what was made, so that another try starts clean.
            close();
            throw e;
        }
        this.tcpAcceptor = named("meridian-dns-accept").newThread(this::acceptTcp);
        tcpAcceptor.start();
    }

    /**
     * Binds UDP and TCP to the address and port; port 0 picks a port free for both. Queries are counted in
     * {@code meridian_dns_queries_total{type,result}}: the question's type and the answer's rcode, or
     * {@code dropped}; queries dropped because {@value #UDP_QUEUE} UDP queries wait already, and TCP connections
     * refused because {@value #MAX_TCP_CONNECTIONS} are open, count as types {@code udp-queue-full} and
     * {@code tcp-connections-full}. A TCP connection is closed after {@link #TCP_CONNECTION_TIME} whatever it does.
     *
     * @throws IOException if either cannot be bound
     */
    public static DnsServer start(DnsAnswerer answerer, MeterRegistry meters, String bindAddress, int port)
            throws IOException {
        return start(answerer, meters, bindAddress, port, MAX_TCP_CONNECTIONS, TCP_CONNECTION_TIME);
    }

    /** As above with other TCP bounds: at most {@code maxTcpConnections} at once, each open at most that long. */
    static DnsServer start(DnsAnswerer answerer, MeterRegistry meters, String bindAddress, int port,
                           int maxTcpConnections, Duration connectionTime) throws IOException {
        InetAddress address = InetAddress.getByName(bindAddress);
        for (int attempt = 0; ; attempt++) {
            try {
                return new DnsServer(answerer, meters, address, port, maxTcpConnections, connectionTime);
            } catch (IOException e) {
                // Port 0: the port UDP picked may be taken for TCP; another try picks another.
                if (port != 0 || attempt >= 10) {
                    throw e;
                }
            }
        }
    }

    /** The port both sockets listen on. */
    public int port() {
        return udp.port();
    }

    private void acceptTcp() {
        while (!tcp.isClosed()) {
            try {
                Socket connection = tcp.accept();
                if (!connectionSlots.tryAcquire()) {
                    count("tcp-connections-full", "dropped");
                    connection.close();
                    continue;
                }
                ScheduledFuture<?> deadline = deadlines.schedule(() -> closeQuietly(connection),
                        connectionTime.toMillis(), TimeUnit.MILLISECONDS);
                connections.execute(() -> {
                    try {
                        serveTcp(connection);
                    } finally {
                        deadline.cancel(false);
                        connectionSlots.release();
                    }
                });
            } catch (IOException e) {
                if (!tcp.isClosed()) {
                    LOG.log(Level.WARNING, "DNS over TCP: accept failed", e);
                }
            }
        }
    }

    private static void closeQuietly(Socket connection) {
        try {
            connection.close();
        } catch (IOException e) {
            LOG.log(Level.FINE, "DNS over TCP: close failed", e);
        }
    }

    /**
     * Answers length-prefixed queries on one connection until the client closes it, stays idle too long, or the
     * connection's time runs out (its deadline closes the socket).
     */
    private void serveTcp(Socket connection) {
        try (connection; DataInputStream in = new DataInputStream(connection.getInputStream());
             DataOutputStream out = new DataOutputStream(connection.getOutputStream())) {
            connection.setSoTimeout(TCP_IDLE_MILLIS);
            while (true) {
                byte[] request = new byte[in.readUnsignedShort()];
                in.readFully(request);
                byte[] response = respond(request, false);
                if (response == null) {
                    return;
                }
                out.writeShort(response.length);
                out.write(response);
                out.flush();
            }
        } catch (EOFException | SocketTimeoutException done) {
            // The client is done, or idle.
        } catch (IOException e) {
            LOG.log(Level.FINE, "DNS over TCP: connection failed", e);
        }
    }

    /** The kept answer to the request, counted, or {@code null} if none holds; never reads the registry. */
    private byte[] keptAnswer(byte[] request, boolean overUdp) {
        KeptAnswers.Found found = request.length >= HEADER_SIZE ? keptAnswers.find(request, overUdp) : null;
        if (found == null) {
            return null;
        }
        count(found.typeLabel(), NOERROR);
        return found.wire();
    }

    /** The wire response to a wire request; null to drop it. */
    private byte[] respond(byte[] request, boolean overUdp) {
        byte[] kept = keptAnswer(request, overUdp);
        return kept != null ? kept : answerAfresh(request, overUdp);
    }

    /** The response made from the request and the registry, kept if it may be given again; null to drop it. */
    private byte[] answerAfresh(byte[] request, boolean overUdp) {
        Message query;
        try {
            query = new Message(request);
        } catch (IOException unreadable) {
            boolean answerable = request.length >= HEADER_SIZE;
            count("unreadable", answerable ? Rcode.string(Rcode.FORMERR) : "dropped");
            return answerable ? DnsAnswerer.formatError(ByteBuffer.wrap(request).getShort() & 0xFFFF).toWire() : null;
        }
        if (query.getHeader().getFlag(Flags.QR)) {
            count("response", "dropped");
            return null;
        }
        DnsAnswerer.Answer answer;
        try {
            answer = answerer.answer(query);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "DNS: could not answer " + query.getQuestion(), e);
            answer = new DnsAnswerer.Answer(DnsAnswerer.serverFailure(query), null);
        }
        Message response = answer.response();
        String type = query.getQuestion() == null ? "none" : typeLabel(query.getQuestion().getType());
        count(type, Rcode.string(response.getRcode()));
        OPTRecord edns = query.getOPT();
        if (edns != null) {
            response.addRecord(new OPTRecord(MAX_UDP_SIZE, 0, 0), Section.ADDITIONAL);
        }
        int limit = !overUdp ? 0 : edns == null ? PLAIN_UDP_SIZE : Math.max(PLAIN_UDP_SIZE, Math.min(MAX_UDP_SIZE,
                edns.getPayloadSize()));
        return keptAnswers.keep(request, overUdp, answer, limit, type);
    }

    /**
     * The question type as a metric label: one of the types resolvers ask a discovery service, or {@code other}, so
     * that queries of arbitrary types cannot add metric series without bound.
     */
    static String typeLabel(int type) {
        return COUNTED_TYPES.contains(type) ? Type.string(type) : "other";
    }

    /** Counts a query; its counter, one of a bounded set, is looked up once. */
    private void count(String type, String result) {
        counters.computeIfAbsent(new CounterKey(type, result), series -> Counter.builder("meridian.dns.queries")
                .description("DNS queries by question type and result")
                .tag("type", type).tag("result", result).register(meters)).increment();
    }

    /** A query counter's tags; labels are constants, whose hashes their strings keep. */
    private record CounterKey(String type, String result) {
    }

    /**
     * Stops taking queries (new UDP packets are dropped, new TCP connections refused) and gives the queries in flight
     * until the bound to be answered; then closes everything.
     */
    public void drain(Duration bound) {
        udp.stopTaking();
        closeTcpListener();
        workers.shutdown();
        connections.shutdown();
        try {
            long deadline = System.nanoTime() + bound.toNanos();
            workers.awaitTermination(bound.toNanos(), TimeUnit.NANOSECONDS);
            connections.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        close();
    }

    @Override
    public void close() {
        if (udp != null) {
            udp.close();
        }
        if (tcp != null) {
            closeTcpListener();
        }
        workers.shutdownNow();
        connections.shutdownNow();
        deadlines.shutdownNow();
    }

    private void closeTcpListener() {
        try {
            tcp.close();
        } catch (IOException e) {
            LOG.log(Level.FINE, "DNS over TCP: close failed", e);
        }
    }

    private static ThreadFactory named(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
