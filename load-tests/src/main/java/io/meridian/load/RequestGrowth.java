package io.meridian.load;

import io.meridian.node.NodeProcesses;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What requests for things that do not exist, or that only wait, leave behind on a node. Node 0 of three
 * {@code meridian node} processes is measured (heap after a full GC, threads, open files) before and after each of:
 * <ol>
 *   <li>DNS queries over UDP for random service names, paced at 20,000/s;</li>
 *   <li>blocking queries on a quiet service, each timing out after 50 ms, 200 at a time;</li>
 *   <li>TCP connections to the DNS port, all open at once, each sending one byte a second for 40 s, past the
 *   server's 30 s bound per connection; the node's threads are sampled every second while they trickle.</li>
 * </ol>
 * Prints one row per phase. Heap, threads and files must come back to where they were, and threads must stay
 * bounded while the connections trickle.
 */
final class RequestGrowth {

    private static final long DNS_PACE_NANOS = 50_000;
    private static final int PARKED_AT_ONCE = 200;
    private static final Duration TRICKLE_FOR = Duration.ofSeconds(40);

    private final NodeProcesses nodes;
    private final long pid;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private RequestGrowth(NodeProcesses nodes) {
        this.nodes = nodes;
        this.pid = nodes.process(0).pid();
    }

    static void run(int dnsQueries, int blockingQueries, int tcpConnections) throws Exception {
        Path directory = Files.createTempDirectory("meridian-growth-");
        try (NodeProcesses nodes = NodeProcesses.layOutForBenchmarks(directory, 3, List.of()).startAll()) {
            try {
                new RequestGrowth(nodes).measure(dnsQueries, blockingQueries, tcpConnections);
            } catch (Exception | AssertionError e) {
                System.err.println(nodes.logs());
                throw e;
            }
        }
    }

    private void measure(int dnsQueries, int blockingQueries, int tcpConnections) throws Exception {
        HttpResponse<String> registered = send("PUT", "/v1/agent/service/register",
                "{\"ID\":\"quiet-1\",\"Name\":\"quiet\",\"Address\":\"10.0.0.1\",\"Port\":80}");
        if (registered.statusCode() != 200) {
            throw new IllegalStateException("registration failed: " + registered.body());
        }
        System.out.println("| phase | heap after GC (MB) | threads | open files | detail |");
        System.out.println("|---|---|---|---|---|");
        row("before", "");
        row(dnsQueries + " random-name DNS queries", randomNameQueries(dnsQueries));
        row(blockingQueries + " timed-out blocking queries", timedOutBlockingQueries(blockingQueries));
        row(tcpConnections + " trickling DNS TCP connections", tricklingConnections(tcpConnections));
        Thread.sleep(5_000);
        row("5 s later", "");
    }

    private void row(String phase, String detail) throws IOException, InterruptedException {
        System.out.printf("| %s | %d | %d | %d | %s |%n", phase, ProcessFigures.heapAfterGcMegabytes(pid),
                ProcessFigures.threads(pid), ProcessFigures.openFiles(pid), detail);
    }

    private String randomNameQueries(int count) throws Exception {
        InetSocketAddress server = new InetSocketAddress(InetAddress.getLoopbackAddress(), nodes.dnsPort(0));
        AtomicLong answers = new AtomicLong();
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            socket.setReceiveBufferSize(4 << 20);
            socket.setSoTimeout(3_000);
            Thread receiver = new Thread(() -> drain(socket, answers), "dns-answers");
            receiver.start();
            long next = System.nanoTime();
            for (int i = 0; i < count; i++) {
                String name = Long.toString(ThreadLocalRandom.current().nextLong() >>> 1, 36) + ".service.consul.";
                byte[] query = Message.newQuery(Record.newRecord(Name.fromString(name), Type.A, DClass.IN)).toWire();
                socket.send(new DatagramPacket(query, query.length, server));
                next += DNS_PACE_NANOS;
                long ahead = next - System.nanoTime();
                if (ahead > 0) {
                    TimeUnit.NANOSECONDS.sleep(ahead);
                }
            }
            receiver.join();
        }
        return answers.get() + " answered (the rest dropped by the bounded queue, as counted in /metrics)";
    }

    private static void drain(DatagramSocket socket, AtomicLong answers) {
        byte[] buffer = new byte[4_096];
        while (true) {
            try {
                socket.receive(new DatagramPacket(buffer, buffer.length));
                answers.incrementAndGet();
            } catch (SocketTimeoutException quiet) {
                return;
            } catch (IOException e) {
                return;
            }
        }
    }

    private String timedOutBlockingQueries(int count) throws Exception {
        long index = Long.parseLong(send("GET", "/v1/health/service/quiet", null).headers()
                .firstValue("X-Consul-Index").orElseThrow());
        URI uri = URI.create("http://127.0.0.1:" + nodes.httpPort(0) + "/v1/health/service/quiet?index=" + index
                + "&wait=50ms");
        Semaphore inFlight = new Semaphore(PARKED_AT_ONCE);
        Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();
        for (int i = 0; i < count; i++) {
            inFlight.acquire();
            http.sendAsync(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build(),
                            HttpResponse.BodyHandlers.discarding())
                    .whenComplete((answer, error) -> {
                        statuses.computeIfAbsent(error == null ? answer.statusCode() : -1, code -> new AtomicLong())
                                .incrementAndGet();
                        inFlight.release();
                    });
        }
        inFlight.acquire(PARKED_AT_ONCE);
        String parked = send("GET", "/metrics", null).body().lines()
                .filter(line -> line.startsWith("meridian_http_parked_queries")).findFirst().orElse("(no gauge)");
        return "answers by status " + new TreeMap<>(statuses) + " (-1: no answer); afterwards " + parked;
    }

    private String tricklingConnections(int count) throws Exception {
        InetSocketAddress server = new InetSocketAddress(InetAddress.getLoopbackAddress(), nodes.dnsPort(0));
        List<SocketChannel> channels = new ArrayList<>(count);
        long mostThreads = 0;
        int connected = 0;
        int closedByServer = 0;
        try (Selector selector = Selector.open()) {
            for (int i = 0; i < count; i++) {
                SocketChannel channel = SocketChannel.open();
                channel.configureBlocking(false);
                channel.connect(server);
                channel.register(selector, SelectionKey.OP_CONNECT);
                channels.add(channel);
            }
            long end = System.nanoTime() + TRICKLE_FOR.toNanos();
            while (System.nanoTime() < end) {
                selector.select(1_000);
                for (SelectionKey key : selector.selectedKeys()) {
                    SocketChannel channel = (SocketChannel) key.channel();
                    try {
                        if (channel.finishConnect()) {
                            connected++;
                            key.interestOps(0);
                        }
                    } catch (IOException refused) {
                        key.cancel();
                    }
                }
                selector.selectedKeys().clear();
                for (SocketChannel channel : channels) {
                    if (channel.isConnected()) {
                        try {
                            channel.write(ByteBuffer.wrap(new byte[] {0}));
                        } catch (IOException closed) {
                            closedByServer++;
                            channel.close();
                        }
                    }
                }
                mostThreads = Math.max(mostThreads, ProcessFigures.threads(pid));
            }
        } finally {
            for (SocketChannel channel : channels) {
                channel.close();
            }
        }
        return connected + " connected, " + closedByServer + " closed by the server while trickling; at most "
                + mostThreads + " threads on the node meanwhile";
    }

    private HttpResponse<String> send(String method, String path, String body) throws IOException,
            InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + nodes.httpPort(0) + path))
                .timeout(Duration.ofSeconds(30)).method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
