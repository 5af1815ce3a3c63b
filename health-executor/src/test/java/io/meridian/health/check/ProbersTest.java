package io.meridian.health.check;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.netty.handler.ssl.util.SelfSignedCertificate;
import io.meridian.registry.Check;
import io.meridian.registry.CheckKind;
import io.meridian.registry.CheckTargetRules;
import io.meridian.registry.HealthStatus;
import io.meridian.registry.HttpOptions;
import io.meridian.health.testing.InMemoryCheckRecords;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The probes against real servers on loopback. */
class ProbersTest {

    private static final InMemoryCheckRecords NO_RECORDS = new InMemoryCheckRecords();
    private static HttpServer http;
    private static final AtomicInteger httpRequests = new AtomicInteger();
    private static ServerSocket zombie;
    private static final List<Socket> zombieConnections = new ArrayList<>();
    private static final long SLOW_ANSWER_MILLIS = 600;
    /** The probers of the tests that leave their event loops alone; closed after the last test. */
    private static final HttpProber HTTP_PROBER = new HttpProber();
    private static final TcpProber TCP_PROBER = new TcpProber();

    @BeforeAll
    static void startServers() throws IOException {
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.createContext("/status/", exchange -> {
            httpRequests.incrementAndGet();
            int code = Integer.parseInt(exchange.getRequestURI().getPath().substring("/status/".length()));
            byte[] body = ("answered " + code + " to " + exchange.getRequestMethod() + " with X-Probe="
                    + exchange.getRequestHeaders().getFirst("X-Probe") + " body="
                    + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)
                    + "x".repeat(6000)).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(code, code == 204 ? -1 : body.length);
            if (code != 204) {
                exchange.getResponseBody().write(body);
            }
            exchange.close();
        });
        http.createContext("/slow/", exchange -> {
            try {
                Thread.sleep(SLOW_ANSWER_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        http.start();
        zombie = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            while (!zombie.isClosed()) {
                try {
                    zombieConnections.add(zombie.accept());
                } catch (IOException closed) {
                    return;
                }
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();
    }

    @AfterAll
    static void stopServers() throws IOException {
        HTTP_PROBER.close();
        TCP_PROBER.close();
        http.stop(0);
        zombie.close();
        for (Socket socket : zombieConnections) {
            socket.close();
        }
    }

    @ParameterizedTest(name = "HTTP {0} is {1}")
    @CsvSource({"200, PASSING", "204, PASSING", "299, PASSING", "429, WARNING", "404, CRITICAL", "500, CRITICAL",
            "503, CRITICAL", "301, CRITICAL"})
    void httpStatusCodesMapAsConsulMapsThem(int code, HealthStatus expected) throws Exception {
        CheckResult result = HTTP_PROBER.probe(watched(httpCheck("/status/" + code, HttpOptions.DEFAULT, 2_000)))
                .get(10, TimeUnit.SECONDS);
        assertEquals(expected, result.status(), result.output());
    }

    @Test
    void httpChecksSendTheirMethodHeadersAndBodyAndKeepFourKibOfOutput() throws Exception {
        HttpOptions options = new HttpOptions("POST", Map.of("X-Probe", List.of("yes")), "ping", false);
        CheckResult result = HTTP_PROBER.probe(watched(httpCheck("/status/200", options, 2_000)))
                .get(10, TimeUnit.SECONDS);
        assertEquals(HealthStatus.PASSING, result.status());
        assertTrue(result.output().contains("answered 200 to POST with X-Probe=yes body=ping"), result.output());
        String body = result.output().substring(result.output().indexOf("Output: ") + 8);
        assertEquals(HttpProber.MAX_OUTPUT_BYTES, body.length());
    }

    @Test
    void aZombieThatAcceptsButNeverAnswersIsCriticalAfterTheTimeout() throws Exception {
        CheckResult result = HTTP_PROBER.probe(watched(zombieCheck(300))).get(10, TimeUnit.SECONDS);
        assertEquals(HealthStatus.CRITICAL, result.status());
        assertTrue(result.output().contains("timed out"), result.output());
    }

    @Test
    void aProberWhoseLoopWasStalledWaitsTheStallOutBeforeCallingATimeout() throws Exception {
        Check slow = httpCheck("/slow/", HttpOptions.DEFAULT, 1_000);
        try (HttpProber prober = new HttpProber()) {
            CompletableFuture<CheckResult> result = prober.probe(watched(slow));
            // Stalls the loop right after it has sent the connect: the answer then comes 1,400 ms into the run,
            // past the 1,000 ms timeout, though the target took only 600 ms of it.
            stallLoop(prober, 800);
            assertEquals(HealthStatus.PASSING, result.get(10, TimeUnit.SECONDS).status());
        }
        try (HttpProber prober = new HttpProber()) {
            CompletableFuture<CheckResult> result = prober.probe(watched(zombieCheck(1_000)));
            stallLoop(prober, 800);
            CheckResult timedOut = result.get(10, TimeUnit.SECONDS);
            assertEquals(HealthStatus.CRITICAL, timedOut.status(), "a stall lengthens the wait, never ends it");
            assertTrue(timedOut.output().contains("timed out after 1000 ms"), timedOut.output());
        }
    }

    /** Keeps the loop the prober's runs start on busy for {@code millis}, as a starved machine would. */
    static void stallLoop(Prober prober, long millis) {
        prober.startsRunsOn().orElseThrow().execute(() -> {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    @Test
    void aTcpConnectIsPassingAndARefusedOneCritical() throws Exception {
        assertEquals(HealthStatus.PASSING, TCP_PROBER.probe(watched(tcpCheck(zombie.getLocalPort())))
                .get(10, TimeUnit.SECONDS).status());
        int closedPort;
        try (ServerSocket unused = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = unused.getLocalPort();
        }
        CheckResult refused = TCP_PROBER.probe(watched(tcpCheck(closedPort))).get(10, TimeUnit.SECONDS);
        assertEquals(HealthStatus.CRITICAL, refused.status(), refused.output());
    }

    @Test
    void everyHttpRunOpensANewConnectionSoAListenerThatStoppedAcceptingIsCritical() throws Exception {
        ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Check check = new Check("closing", "", CheckKind.HTTP, "http://127.0.0.1:" + listener.getLocalPort() + "/",
                null, Duration.ofSeconds(1), Duration.ofSeconds(2), null, null, null, HealthStatus.PASSING, "");
        CompletableFuture<CheckResult> first = HTTP_PROBER.probe(watched(check));
        try (Socket kept = listener.accept()) {
            kept.getInputStream().read(new byte[4096]);
            kept.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
                    .getBytes(StandardCharsets.US_ASCII));
            assertEquals(HealthStatus.PASSING, first.get(10, TimeUnit.SECONDS).status());
            listener.close();

            CheckResult second = HTTP_PROBER.probe(watched(check)).get(10, TimeUnit.SECONDS);
            assertEquals(HealthStatus.CRITICAL, second.status(), "the open connection of the first run was not reused");
            assertTrue(second.output().contains("refused"), second.output());
        }
    }

    @Test
    void httpsChecksVerifyTheCertificateUnlessToldToSkipIt() throws Exception {
        SelfSignedCertificate certificate = new SelfSignedCertificate("localhost");
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("server", certificate.key(), new char[0], new Certificate[] {certificate.cert()});
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, new char[0]);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(keys.getKeyManagers(), null, null);
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        server.createContext("/", exchange -> {
            byte[] body = "secure".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try (HttpProber prober = new HttpProber()) {
            String target = "https://localhost:" + server.getAddress().getPort() + "/";
            CheckResult verified = prober.probe(watched(new Check("tls", "", CheckKind.HTTP, target,
                    HttpOptions.DEFAULT, Duration.ofSeconds(5), Duration.ofSeconds(2), null, null, null,
                    HealthStatus.PASSING, ""))).get(10, TimeUnit.SECONDS);
            assertEquals(HealthStatus.CRITICAL, verified.status(), "a self-signed certificate is not trusted");
            CheckResult skipped = prober.probe(watched(new Check("tls", "", CheckKind.HTTP, target,
                    new HttpOptions("GET", Map.of(), "", true), Duration.ofSeconds(5), Duration.ofSeconds(2), null,
                    null, null, HealthStatus.PASSING, ""))).get(10, TimeUnit.SECONDS);
            assertEquals(HealthStatus.PASSING, skipped.status(), skipped.output());
            assertTrue(skipped.output().endsWith("200 Output: secure"), skipped.output());
        } finally {
            server.stop(0);
            certificate.delete();
        }
    }

    @Test
    void anUnreachableHttpTargetIsCritical() throws Exception {
        int closedPort;
        try (ServerSocket unused = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = unused.getLocalPort();
        }
        Check check = new Check("down", "", CheckKind.HTTP, "http://127.0.0.1:" + closedPort + "/", null,
                Duration.ofSeconds(1), null, null, null, null, HealthStatus.PASSING, "");
        assertEquals(HealthStatus.CRITICAL, HTTP_PROBER.probe(watched(check)).get(10, TimeUnit.SECONDS).status());
    }

    @Test
    void aGuardedProbeJudgesWhereItsHostResolvesAtEachRunAndSendsNothingThereWhenARuleRefuses() throws Exception {
        Check byName = new Check("named", "", CheckKind.HTTP, "http://localhost:" + http.getAddress().getPort()
                + "/status/200", null, Duration.ofSeconds(5), Duration.ofSeconds(2), null, null, null,
                HealthStatus.PASSING, "");
        int before = httpRequests.get();
        CheckTargetRules node = new CheckTargetRules(List.of(), CheckTargetRules.nodeDefaultDenied(), List.of(),
                List.of(), List.of());
        try (Probers guarded = Probers.standard(node, NO_RECORDS, Clock.systemUTC())) {
            for (Check check : List.of(byName, tcpCheck(zombie.getLocalPort()))) {
                CheckResult refused = guarded.probe(watched(check))
                        .get(10, TimeUnit.SECONDS);
                assertEquals(HealthStatus.CRITICAL, refused.status(), refused.output());
                assertTrue(refused.output().startsWith("not probed: target ")
                        && refused.output().contains("of meridian.check-denied-networks"), refused.output());
            }
        }
        Check put = httpCheck("/status/200", new HttpOptions("PUT", Map.of(), "", false), 2_000);
        try (Probers guarded = Probers.standard(new CheckTargetRules(List.of(), List.of(), List.of(), List.of(),
                List.of()), NO_RECORDS, Clock.systemUTC())) {
            CheckResult refused = guarded.probe(watched(put)).get(10, TimeUnit.SECONDS);
            assertEquals(HealthStatus.CRITICAL, refused.status(), refused.output());
            assertTrue(refused.output().contains("method PUT is not allowed"), refused.output());
        }
        assertEquals(before, httpRequests.get(), "a refused HTTP check sent nothing");

        CheckTargetRules dev = new CheckTargetRules(List.of(), CheckTargetRules.LINK_LOCAL, List.of(), List.of(),
                List.of());
        try (Probers guarded = Probers.standard(dev, NO_RECORDS, Clock.systemUTC())) {
            CheckResult allowed = guarded.probe(watched(byName)).get(10, TimeUnit.SECONDS);
            assertEquals(HealthStatus.PASSING, allowed.status(), allowed.output());
        }
        assertEquals(before + 1, httpRequests.get());
    }

    static WatchedCheck watched(Check check) {
        return new WatchedCheck("default", "probed-1", check, 0);
    }

    private static Check httpCheck(String path, HttpOptions options, long timeoutMillis) {
        return new Check("http", "", CheckKind.HTTP, "http://127.0.0.1:" + http.getAddress().getPort() + path, options,
                Duration.ofSeconds(5), Duration.ofMillis(timeoutMillis), null, null, null, HealthStatus.CRITICAL, "");
    }

    private static Check zombieCheck(long timeoutMillis) {
        return new Check("zombie", "", CheckKind.HTTP, "http://127.0.0.1:" + zombie.getLocalPort() + "/healthz", null,
                Duration.ofSeconds(1), Duration.ofMillis(timeoutMillis), null, null, null, HealthStatus.PASSING, "");
    }

    private static Check tcpCheck(int port) {
        return new Check("tcp", "", CheckKind.TCP, "127.0.0.1:" + port, null, Duration.ofSeconds(5),
                Duration.ofSeconds(1), null, null, null, HealthStatus.CRITICAL, "");
    }
}
