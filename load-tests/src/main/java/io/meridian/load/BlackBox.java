package io.meridian.load;

import io.meridian.node.NodeProcesses;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * {@code Bench blackbox [HTTP requests] [DNS packets] [seed]}: three {@code meridian node} processes with a seeded
 * registry, then generated requests against node 0 from outside, as an attacker or a broken client would send them.
 * HTTP: every route of the API, right and wrong methods, path segments and query parameters drawn from hostile values,
 * and write bodies broken on purpose (truncated, random bytes, a field of the wrong type or out of range), so that a
 * correct node refuses every write. DNS: well-formed queries of every type for real and made-up names, then most of
 * them mangled (bytes flipped, cut short or extended), over UDP and some over TCP. It prints the answers by status and
 * rcode and the size of {@code /metrics}, and fails unless no answer was a 5xx, node 0 still answers both protocols,
 * and the registry as every read endpoint shows it is byte for byte what it was before.
 */
final class BlackBox {

    private static final List<String> SERVICES = List.of("web", "api", "db");
    private static final List<String> READ_PATHS = List.of(
            "/v1/catalog/services", "/v1/agent/services", "/v1/agent/checks", "/v1/health/state/any",
            "/v1/health/service/web", "/v1/health/service/api", "/v1/health/service/db",
            "/v1/health/checks/web", "/v1/catalog/service/web", "/v1/operator/raft/configuration",
            "/v1/operator/autopilot/configuration", "/v1/acl/policies");
    /** The raft configuration's leader flags and index. */
    private static final java.util.regex.Pattern LEADERSHIP = java.util.regex.Pattern.compile(
            "\"Leader\":(true|false),?|,?\"Index\":\\d+");
    /** Route templates; {x} is filled from {@link #SEGMENTS}. Write routes never get an id the registry holds. */
    private static final List<String[]> ROUTES = List.of(
            new String[] {"GET", "/v1/catalog/services"}, new String[] {"GET", "/v1/catalog/service/{x}"},
            new String[] {"GET", "/v1/health/service/{x}"}, new String[] {"GET", "/v1/health/checks/{x}"},
            new String[] {"GET", "/v1/health/state/{x}"}, new String[] {"GET", "/v1/agent/services"},
            new String[] {"GET", "/v1/agent/checks"}, new String[] {"GET", "/v1/agent/self"},
            new String[] {"GET", "/v1/status/leader"}, new String[] {"GET", "/v1/status/peers"},
            new String[] {"GET", "/v1/operator/raft/configuration"},
            new String[] {"GET", "/v1/operator/autopilot/configuration"},
            new String[] {"GET", "/v1/operator/autopilot/health"}, new String[] {"GET", "/v1/acl/policies"},
            new String[] {"GET", "/metrics"}, new String[] {"GET", "/readyz"}, new String[] {"GET", "/livez"},
            new String[] {"GET", "/v1/{x}"}, new String[] {"GET", "/{x}"},
            new String[] {"PUT", "/v1/agent/service/register"}, new String[] {"PUT", "/v1/agent/check/register"},
            new String[] {"PUT", "/v1/catalog/register"}, new String[] {"PUT", "/v1/catalog/deregister"},
            new String[] {"PUT", "/v1/agent/service/deregister/{x}"},
            new String[] {"PUT", "/v1/agent/service/maintenance/{x}"},
            new String[] {"PUT", "/v1/agent/service/drain/{x}"}, new String[] {"PUT", "/v1/agent/service/report/{x}"},
            new String[] {"PUT", "/v1/agent/check/pass/{x}"}, new String[] {"PUT", "/v1/agent/check/warn/{x}"},
            new String[] {"PUT", "/v1/agent/check/fail/{x}"}, new String[] {"PUT", "/v1/agent/check/update/{x}"},
            new String[] {"PUT", "/v1/agent/check/deregister/{x}"},
            new String[] {"PUT", "/v1/operator/autopilot/configuration"}, new String[] {"PUT", "/v1/snapshot"},
            new String[] {"PUT", "/v1/acl/policy"}, new String[] {"PUT", "/v1/acl/token"},
            new String[] {"DELETE", "/v1/acl/token/{x}"}, new String[] {"DELETE", "/v1/operator/raft/peer"});
    private static final List<String> SEGMENTS = List.of("nope", "missing-1", "..", "%2e%2e%2f%2e%2e", "%00",
            "%ff%fe", "a%20b", "%E2%80%AE", "x".repeat(300), "x".repeat(5000), "-", "_", "*", "%2A", "passing",
            "critical", "any", "warning", "\u00e9t\u00e9", "%F0%9F%98%80", "web.api", "{}", "%7B%7D", "1e309",
            "-1", "9223372036854775808", "service:nope", "CON", "%5C..%5C");
    private static final List<String> PARAMETERS = List.of("index", "wait", "filter", "dc", "ns", "tag", "near",
            "passing", "consistent", "stale", "enable", "reason", "period", "note", "address", "token", "pretty",
            "node-meta", "cached", "id");
    private static final List<String> VALUES = List.of("", "1", "0", "-1", "99999999999999999999", "1s", "10m",
            "-5s", "1y", "abc", "true", "%00", "Service.Meta.x%20matches%20%22(a%2B)%2B%24%22",
            "Service.Service%20%3D%3D", "(((((((((((", "Checks.Status%20%3D%3D%20%22passing%22",
            "Service.Tags%20contains%20%22x%22%20and%20not%20(", "x".repeat(4000), "%22", "%5B%5D", "127.0.0.1:1",
            "10.0.0.1:8300");
    /** Body mutations that a correct node must refuse: each is invalid whatever else the body says. */
    private static final List<String[]> BROKEN_FIELDS = List.of(
            new String[] {"Name", "{}"}, new String[] {"Name", "[1,2]"}, new String[] {"Port", "\"abc\""},
            new String[] {"Port", "70000"}, new String[] {"Port", "-2"}, new String[] {"ID", "{\"a\":1}"},
            new String[] {"Tags", "\"not-a-list\""}, new String[] {"Meta", "[1]"}, new String[] {"Weights", "7"},
            new String[] {"Check", "\"x\""}, new String[] {"Checks", "{}"},
            new String[] {"Check", "{\"TTL\":\"ten\"}"},
            new String[] {"Check", "{\"HTTP\":\"http://127.0.0.1:1/\",\"Interval\":\"-1s\"}"},
            new String[] {"Name", "\"" + "n".repeat(70_000) + "\""});
    private static final String VALID_REGISTRATION = "{\"ID\":\"bb-new\",\"Name\":\"bb\",\"Port\":80,"
            + "\"Tags\":[\"a\"],\"Meta\":{\"k\":\"v\"},\"Check\":{\"TTL\":\"30s\"}}";

    private static final Duration BLOCKING_WAIT = Duration.ofSeconds(2);
    private static final int PARKED = -1;
    private static final int NO_ANSWER = 0;

    private final NodeProcesses nodes;
    private final Random random;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<Integer, AtomicLong> statuses = new TreeMap<>();
    private final List<String> serverErrors = new ArrayList<>();
    private final Map<String, AtomicLong> acceptedWrites = new TreeMap<>();
    private long retriedOnClosedConnection;

    private BlackBox(NodeProcesses nodes, long seed) {
        this.nodes = nodes;
        this.random = new Random(seed);
    }

    static void run(int httpRequests, int dnsPackets, long seed) throws Exception {
        Path directory = Files.createTempDirectory("meridian-blackbox-");
        boolean passed = false;
        try (NodeProcesses nodes = NodeProcesses.layOutForBenchmarks(directory, 3, List.of()).startAll()) {
            try {
                passed = new BlackBox(nodes, seed).attack(httpRequests, dnsPackets);
            } finally {
                if (!passed) {
                    System.out.println("---- the members' logs ----\n" + nodes.logs());
                }
            }
        }
        if (!passed) {
            throw new IllegalStateException("the black-box run found problems; see above (data in " + directory
                    + ")");
        }
    }

    private boolean attack(int httpRequests, int dnsPackets) throws Exception {
        seed();
        Map<String, String> before = registry();
        String dnsBefore = answerForWeb();
        long metricsBefore = metricsBytes();
        long start = System.nanoTime();
        sendHttp(httpRequests);
        System.out.printf("HTTP: %,d requests in %.0f s; answers by status (-1: a blocking query still parked after"
                + " %d s, 0: no answer): %s%n", httpRequests,
                (System.nanoTime() - start) / 1e9, BLOCKING_WAIT.toSeconds(), statuses);
        start = System.nanoTime();
        DnsTally dns = sendDns(dnsPackets);
        System.out.printf("DNS: %,d packets in %.0f s (%,d over TCP); %,d answered, %,d unanswered; answers by rcode:"
                + " %s%n", dnsPackets, (System.nanoTime() - start) / 1e9, dns.tcp, dns.answered(),
                dnsPackets - dns.answered(), dns.byRcode());
        System.out.printf("/metrics: %,d bytes before, %,d after; series by metric, the largest: %s%n", metricsBefore,
                metricsBytes(), largestMetrics());
        Map<String, String> after = registry();
        List<String> changed = before.keySet().stream().filter(path -> !before.get(path).equals(after.get(path)))
                .toList();
        String dnsAnswer = answerForWeb();
        boolean answersDns = dnsAnswer.equals(dnsBefore) && dnsAnswer.matches("NOERROR, [1-9].*");
        boolean alive = nodes.process(0).isAlive();
        System.out.println("sent again because the server had closed the pooled connection: "
                + retriedOnClosedConnection);
        System.out.println("5xx answers and requests without an answer: " + serverErrors.size()
                + serverErrors.stream().limit(100).map(line -> "\n  " + line).reduce("", String::concat));
        System.out.println("writes answered 2xx, by route (each must have changed nothing): " + acceptedWrites);
        System.out.println("registry changed at: " + changed);
        System.out.println("node 0 alive: " + alive + "; its answer to A web.service.consul: " + dnsAnswer
                + " (before the run: " + dnsBefore + ")");
        return serverErrors.isEmpty() && changed.isEmpty() && alive && answersDns;
    }

    /** Three services, two instances each, with TTL checks long enough not to change during the run. */
    private void seed() throws Exception {
        for (String service : SERVICES) {
            for (int i = 1; i <= 2; i++) {
                String body = "{\"ID\":\"" + service + "-" + i + "\",\"Name\":\"" + service + "\","
                        + "\"Address\":\"127.0.0.1\",\"Port\":" + (8000 + i) + ",\"Tags\":[\"v1\"],"
                        + "\"Meta\":{\"x\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"},\"Check\":{\"CheckID\":\"ttl-" + service
                        + "-" + i + "\",\"TTL\":\"24h\",\"Status\":\"passing\"}}";
                HttpResponse<String> answer = nodes.put(0, "/v1/agent/service/register", body);
                if (answer.statusCode() != 200) {
                    throw new IllegalStateException("seeding answered " + answer.statusCode() + ": "
                            + answer.body());
                }
            }
        }
    }

    /** Every read endpoint's body, by path: what "the registry as it was" means here. */
    private Map<String, String> registry() throws IOException, InterruptedException {
        Map<String, String> bodies = new LinkedHashMap<>();
        for (String path : READ_PATHS) {
            HttpResponse<String> answer = nodes.get(0, path);
            bodies.put(path, answer.statusCode() + " " + withoutLeadership(answer.body()));
        }
        return bodies;
    }

    /**
     * A body with who leads the CP group, and the Raft index it was read at, left out: a leader election under the
     * run's load changes those, not the registry.
     */
    private static String withoutLeadership(String body) {
        return LEADERSHIP.matcher(body).replaceAll("");
    }

    /** The five metric names with the most series in node 0's {@code /metrics}, with their counts. */
    private String largestMetrics() throws IOException, InterruptedException {
        Map<String, Long> series = nodes.get(0, "/metrics").body().lines()
                .filter(line -> !line.startsWith("#") && !line.isBlank())
                .collect(java.util.stream.Collectors.groupingBy(line -> line.split("[{ ]", 2)[0],
                        java.util.stream.Collectors.counting()));
        return series.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(5)
                .map(entry -> entry.getKey() + "=" + entry.getValue()).toList().toString();
    }

    private long metricsBytes() throws IOException, InterruptedException {
        return nodes.get(0, "/metrics").body().length();
    }

    private void sendHttp(int count) throws InterruptedException {
        List<HttpRequest> requests = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            requests.add(nextRequest());
        }
        ExecutorService senders = Executors.newFixedThreadPool(16);
        for (HttpRequest request : requests) {
            senders.execute(() -> send(request));
        }
        senders.shutdown();
        senders.awaitTermination(1, TimeUnit.HOURS);
    }

    private void send(HttpRequest request) {
        int status;
        String detail = "";
        try {
            HttpResponse<String> answer = sendOnLiveConnection(request);
            status = answer.statusCode();
            detail = answer.body();
        } catch (HttpTimeoutException e) {
            status = request.timeout().orElseThrow().equals(BLOCKING_WAIT) ? PARKED : NO_ANSWER;
            detail = e.toString();
        } catch (IOException e) {
            status = NO_ANSWER;
            detail = e.toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        synchronized (this) {
            statuses.computeIfAbsent(status, code -> new AtomicLong()).incrementAndGet();
            if (status >= 500 || status == NO_ANSWER) {
                serverErrors.add(request.method() + " " + shortened(request.uri().toString()) + " -> "
                        + (status == NO_ANSWER ? "no answer" : status) + ": " + shortened(detail));
            } else if (status / 100 == 2 && !request.method().equals("GET")) {
                acceptedWrites.computeIfAbsent(request.method() + " " + request.uri().getPath(),
                        route -> new AtomicLong()).incrementAndGet();
            }
        }
    }

    /**
     * Sends the request; if the pooled connection it went out on turns out to have been closed by the server (as a
     * server may close an idle keep-alive connection at any time), sends it once more, as HTTP clients do.
     */
    private HttpResponse<String> sendOnLiveConnection(HttpRequest request) throws IOException, InterruptedException {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            if (e instanceof HttpTimeoutException || !String.valueOf(e.getMessage()).contains("received no bytes")) {
                throw e;
            }
            synchronized (this) {
                retriedOnClosedConnection++;
            }
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        }
    }

    private static String shortened(String text) {
        return text.length() > 200 ? text.substring(0, 200) + "..." : text;
    }

    private synchronized HttpRequest nextRequest() {
        String[] route = ROUTES.get(random.nextInt(ROUTES.size()));
        String method = random.nextInt(10) == 0 ? pick(List.of("GET", "PUT", "POST", "DELETE", "PATCH", "OPTIONS"))
                : route[0];
        StringBuilder path = new StringBuilder(route[1].replace("{x}", pick(SEGMENTS)));
        int parameters = random.nextInt(4);
        for (int p = 0; p < parameters; p++) {
            path.append(p == 0 ? '?' : '&').append(pick(PARAMETERS)).append('=').append(pick(VALUES));
        }
        URI uri;
        try {
            uri = URI.create("http://127.0.0.1:" + nodes.httpPort(0) + path);
        } catch (IllegalArgumentException unsendable) {
            uri = URI.create("http://127.0.0.1:" + nodes.httpPort(0) + route[1].replace("{x}", "nope"));
        }
        // A query with an index may block until the service changes (minutes): give it a short wait, and count running
        // out of it as parked, not as a failure.
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(uri.getRawQuery() != null
                && uri.getRawQuery().contains("index=") ? BLOCKING_WAIT : Duration.ofSeconds(60));
        if (random.nextInt(8) == 0) {
            request.header("X-Consul-Token", pick(VALUES).isEmpty() ? "x" : "tok-" + random.nextInt());
        }
        if (random.nextInt(8) == 0) {
            request.header("Content-Type", pick(List.of("application/json", "text/plain", "application/xml",
                    "multipart/form-data; boundary=x")));
        }
        byte[] body = method.equals("GET") ? new byte[0] : brokenBody();
        return request.method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(body)).build();
    }

    /** A body a correct node must refuse: invalid JSON, random bytes, or a valid shape with one field broken. */
    private byte[] brokenBody() {
        switch (random.nextInt(5)) {
            case 0 -> {
                return VALID_REGISTRATION.substring(0, 1 + random.nextInt(VALID_REGISTRATION.length() - 2))
                        .getBytes(StandardCharsets.UTF_8);
            }
            case 1 -> {
                byte[] bytes = new byte[random.nextInt(2048)];
                random.nextBytes(bytes);
                return bytes;
            }
            case 2 -> {
                return ("[".repeat(1 + random.nextInt(20_000))).getBytes(StandardCharsets.UTF_8);
            }
            default -> {
                String[] broken = BROKEN_FIELDS.get(random.nextInt(BROKEN_FIELDS.size()));
                String body = VALID_REGISTRATION.substring(0, VALID_REGISTRATION.length() - 1) + ",\"" + broken[0]
                        + "\":" + broken[1] + "}";
                return body.getBytes(StandardCharsets.UTF_8);
            }
        }
    }

    private <T> T pick(List<T> choices) {
        return choices.get(random.nextInt(choices.size()));
    }

    /** Counts of DNS answers by rcode; how many packets went over TCP. */
    private static final class DnsTally {
        private final AtomicLongArray rcodes = new AtomicLongArray(4096);
        private long tcp;

        void answered(byte[] answer, int length) {
            rcodes.incrementAndGet(length >= 4 ? answer[3] & 0x0F : 4095);
        }

        long answered() {
            long total = 0;
            for (int i = 0; i < rcodes.length(); i++) {
                total += rcodes.get(i);
            }
            return total;
        }

        Map<String, Long> byRcode() {
            Map<String, Long> counts = new TreeMap<>();
            for (int i = 0; i < rcodes.length(); i++) {
                if (rcodes.get(i) > 0) {
                    counts.put(i == 4095 ? "short" : Rcode.string(i), rcodes.get(i));
                }
            }
            return counts;
        }
    }

    /**
     * Sends the packets over UDP at a paced rate from one socket while a second thread counts answers; one in fifty
     * goes over TCP instead, one connection each, as a resolver falling back would.
     */
    private DnsTally sendDns(int count) throws Exception {
        DnsTally tally = new DnsTally();
        InetSocketAddress server = new InetSocketAddress(InetAddress.getLoopbackAddress(), nodes.dnsPort(0));
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            socket.setReceiveBufferSize(4 << 20);
            socket.setSoTimeout(2_000);
            Thread receiver = new Thread(() -> receive(socket, tally), "dns-answers");
            receiver.start();
            long next = System.nanoTime();
            for (int i = 0; i < count; i++) {
                byte[] packet = nextPacket();
                if (i % 50 == 0) {
                    sendTcp(server, packet, tally);
                } else {
                    socket.send(new DatagramPacket(packet, packet.length, server));
                }
                next += 200_000;
                long ahead = next - System.nanoTime();
                if (ahead > 0) {
                    TimeUnit.NANOSECONDS.sleep(ahead);
                }
            }
            receiver.join();
        }
        return tally;
    }

    private static void receive(DatagramSocket socket, DnsTally tally) {
        byte[] buffer = new byte[65_535];
        while (true) {
            DatagramPacket answer = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(answer);
            } catch (SocketTimeoutException quiet) {
                return;
            } catch (IOException e) {
                return;
            }
            tally.answered(answer.getData(), answer.getLength());
        }
    }

    private static void sendTcp(InetSocketAddress server, byte[] packet, DnsTally tally) {
        tally.tcp++;
        try (Socket socket = new Socket()) {
            socket.connect(server, 2_000);
            socket.setSoTimeout(2_000);
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            out.writeShort(packet.length);
            out.write(packet);
            out.flush();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            byte[] answer = new byte[in.readUnsignedShort()];
            in.readFully(answer);
            tally.answered(answer, answer.length);
        } catch (IOException noAnswer) {
            // dropped or closed: counted as unanswered
        }
    }

    /** A query, well-formed for one in four packets, mangled for the rest. */
    private synchronized byte[] nextPacket() {
        byte[] wire = validQuery();
        return switch (random.nextInt(8)) {
            case 0, 1 -> wire;
            case 2 -> Arrays.copyOf(wire, random.nextInt(wire.length));
            case 3 -> {
                byte[] longer = Arrays.copyOf(wire, wire.length + 1 + random.nextInt(600));
                for (int i = wire.length; i < longer.length; i++) {
                    longer[i] = (byte) random.nextInt(256);
                }
                yield longer;
            }
            case 4 -> {
                byte[] noise = new byte[random.nextInt(600)];
                random.nextBytes(noise);
                yield noise;
            }
            default -> {
                for (int flips = 1 + random.nextInt(4); flips > 0; flips--) {
                    wire[random.nextInt(wire.length)] ^= (byte) (1 << random.nextInt(8));
                }
                yield wire;
            }
        };
    }

    private byte[] validQuery() {
        String name = pick(List.of("web.service.consul.", "api.service.consul.", "v1.web.service.consul.",
                "_web._tcp.service.consul.", "nope.service.consul.", "web-1.node.consul.", "node-0.node.consul.",
                "1.0.0.127.in-addr.arpa.", "consul.", "web.service.dc2.consul.", "x.y.z.w.service.consul.",
                "example.com.", random.nextInt() + ".service.consul.", "web.query.consul.", "*.service.consul."));
        int type = random.nextInt(10) == 0 ? random.nextInt(65_536) : pick(List.of(Type.A, Type.AAAA, Type.SRV,
                Type.TXT, Type.ANY, Type.PTR, Type.AXFR, Type.IXFR, Type.NS, Type.SOA, Type.CNAME, Type.MX));
        try {
            Message query = Message.newQuery(Record.newRecord(Name.fromString(name), type,
                    random.nextInt(10) == 0 ? DClass.CH : DClass.IN));
            if (random.nextInt(4) == 0) {
                query.getHeader().setOpcode(random.nextInt(16));
            }
            return query.toWire();
        } catch (IOException | RuntimeException e) {
            return new byte[] {0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0};
        }
    }

    /**
     * Node 0's answer to {@code A web.service.consul} over UDP, as "RCODE, N answers", or why there is none.
     */
    private String answerForWeb() {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            socket.setSoTimeout(5_000);
            Message query = Message.newQuery(Record.newRecord(Name.fromString("web.service.consul."), Type.A,
                    DClass.IN));
            byte[] wire = query.toWire();
            socket.send(new DatagramPacket(wire, wire.length,
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), nodes.dnsPort(0))));
            byte[] buffer = new byte[4096];
            while (true) {
                DatagramPacket answer = new DatagramPacket(buffer, buffer.length);
                socket.receive(answer);
                Message message = new Message(Arrays.copyOf(buffer, answer.getLength()));
                if (message.getHeader().getID() == query.getHeader().getID()) {
                    return Rcode.string(message.getRcode()) + ", " + message.getSection(Section.ANSWER).size()
                            + " answers";
                }
            }
        } catch (IOException e) {
            return "none: " + e;
        }
    }
}
