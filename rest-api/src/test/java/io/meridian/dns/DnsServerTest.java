package io.meridian.dns;

import io.meridian.acl.Permissions;
import io.meridian.registry.Check;
import io.meridian.registry.CheckKind;
import io.meridian.registry.HealthStatus;
import io.meridian.registry.NamedPort;
import io.meridian.registry.ServiceInstance;
import io.meridian.registry.Weights;
import io.meridian.registry.grid.HazelcastRegistry;
import io.meridian.registry.grid.RegistrySettings;
import io.meridian.registry.testing.TestCluster;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The DNS interface on a real UDP and TCP socket on loopback, asked with dnsjava's resolver, over a real cluster. */
class DnsServerTest {

    private static TestCluster cluster;
    private static HazelcastRegistry registry;
    private static DnsServer server;
    private static DnsServer onlyPassingServer;
    private static final SimpleMeterRegistry METERS = new SimpleMeterRegistry();

    @BeforeAll
    static void start() throws Exception {
        cluster = TestCluster.start(3);
        registry = new HazelcastRegistry(cluster.member(0), RegistrySettings.defaults("dns"), Clock.systemUTC());
        server = DnsServer.start(new DnsAnswerer(registry, new DnsSettings("consul", false, Duration.ZERO,
                Map.of("slow", Duration.ofSeconds(30)), Duration.ofSeconds(7)), "dc1", () -> Permissions.ALL), METERS,
                "127.0.0.1", 0);
        onlyPassingServer = DnsServer.start(new DnsAnswerer(registry, new DnsSettings("consul", true,
                Duration.ZERO, Map.of(), Duration.ZERO), "dc1", () -> Permissions.ALL), new SimpleMeterRegistry(),
                "127.0.0.1", 0);
        registry.register(instance("default", "web", "web-1", "10.0.0.1", 8080, List.of("v1"), Weights.DEFAULT,
                HealthStatus.PASSING));
        registry.register(instance("default", "web", "web-2", "10.0.0.2", 8081, List.of("v2"), new Weights(5, 1),
                HealthStatus.PASSING));
        registry.register(instance("default", "web", "web-3", "10.0.0.3", 8082, List.of("v1"), Weights.DEFAULT,
                HealthStatus.CRITICAL));
        registry.register(instance("default", "web", "web-4", "10.0.0.4", 8083, List.of("v2"), Weights.DEFAULT,
                HealthStatus.WARNING));
        registry.register(instance("default", "v6", "v6-1", "::1", 9000, List.of(), Weights.DEFAULT,
                HealthStatus.PASSING));
        registry.register(instance("team-a", "web", "a-web-1", "10.1.0.1", 8080, List.of(), Weights.DEFAULT,
                HealthStatus.PASSING));
        registry.register(instance("default", "slow", "slow-1", "10.2.0.1", 80, List.of(), Weights.DEFAULT,
                HealthStatus.PASSING));
        for (int i = 1; i <= 3; i++) {
            registry.register(instance("default", "shared", "shared-" + i, "10.5.0.1", 7000 + i, List.of(),
                    Weights.DEFAULT, HealthStatus.PASSING));
        }
        registry.register(instance("default", "named", "named-1", "db.example.internal", 5432, List.of(),
                Weights.DEFAULT, HealthStatus.PASSING));
        registry.register(ServiceInstance.builder("api", "api-1").address("10.6.0.1").port(8080)
                .ports(List.of(new NamedPort("http", 8080, true), new NamedPort("grpc", 9090, false))).build());
        registry.register(ServiceInstance.builder("api", "api-2").address("10.6.0.2").port(8080).build());
        for (int i = 0; i < 40; i++) {
            registry.register(instance("default", "big", "big-" + i, "10.3.0." + i, 80, List.of(), Weights.DEFAULT,
                    HealthStatus.PASSING));
        }
    }

    @AfterAll
    static void stop() {
        server.close();
        onlyPassingServer.close();
        registry.close();
        cluster.close();
    }

    @Test
    void aServiceAnswersTheAddressesOfItsPassingAndWarningInstances() throws Exception {
        Message answer = ask(server, "web.service.consul.", Type.A, false);
        assertEquals(Rcode.NOERROR, answer.getRcode());
        assertTrue(answer.getHeader().getFlag(Flags.AA));
        assertEquals(Set.of("10.0.0.1", "10.0.0.2", "10.0.0.4"), addresses(answer));
        assertEquals(addresses(answer), addresses(ask(server, "web.service.dc1.consul.", Type.A, true)),
                "the datacenter form, over TCP");
        assertEquals(Set.of("10.0.0.1", "10.0.0.2"), addresses(ask(onlyPassingServer, "web.service.consul.",
                Type.A, false)), "only_passing leaves warning instances out");
    }

    @Test
    void tagsFilterInBothForms() throws Exception {
        assertEquals(Set.of("10.0.0.1"), addresses(ask(server, "v1.web.service.consul.", Type.A, false)));
        Message srv = ask(server, "_web._v2.service.consul.", Type.SRV, false);
        List<SRVRecord> records = srv.getSection(Section.ANSWER).stream().map(SRVRecord.class::cast).toList();
        assertEquals(Set.of(8081, 8083), Set.copyOf(records.stream().map(SRVRecord::getPort).toList()));
        assertEquals(3, ask(server, "_web._tcp.service.consul.", Type.SRV, false).getSection(Section.ANSWER).size(),
                "_tcp means any tag");
    }

    @Test
    void srvAnswersCarryPortWeightAndATargetWhoseAddressIsInTheAdditionalSection() throws Exception {
        Message answer = ask(server, "web.service.consul.", Type.SRV, false);
        SRVRecord web2 = answer.getSection(Section.ANSWER).stream().map(SRVRecord.class::cast)
                .filter(record -> record.getPort() == 8081).findFirst().orElseThrow();
        assertEquals(5, web2.getWeight());
        assertEquals(Name.fromString("0a000002.addr.dc1.consul."), web2.getTarget(), "Consul's name for an IP");
        assertTrue(answer.getSection(Section.ADDITIONAL).stream().anyMatch(record -> record instanceof ARecord a
                && a.getName().equals(web2.getTarget()) && a.getAddress().getHostAddress().equals("10.0.0.2")));
        assertEquals(Set.of("10.0.0.2"), addresses(ask(server, "0a000002.addr.dc1.consul.", Type.A, false)),
                "the target resolves");
        assertEquals(Set.of("10.0.0.2"), addresses(ask(server, "web-2.node.dc1.consul.", Type.A, false)),
                "an instance's own name too");
        SRVRecord v6 = (SRVRecord) ask(server, "v6.service.consul.", Type.SRV, false).getSection(Section.ANSWER)
                .get(0);
        assertEquals(Name.fromString("00000000000000000000000000000001.addr.dc1.consul."), v6.getTarget());
        assertEquals(Set.of("0:0:0:0:0:0:0:1"), addresses(ask(server, v6.getTarget().toString(), Type.AAAA, false)));
        assertEquals(Rcode.NXDOMAIN, ask(server, "0a00.addr.dc1.consul.", Type.A, false).getRcode());
    }

    @Test
    void instancesOnOneHostAreOneAddressRecordAndAHostNameIsItsOwnSrvTarget() throws Exception {
        Message shared = ask(server, "shared.service.consul.", Type.A, false);
        assertEquals(1, shared.getSection(Section.ANSWER).size(), "three instances on 10.5.0.1: one A record");
        Message srv = ask(server, "shared.service.consul.", Type.SRV, false);
        assertEquals(3, srv.getSection(Section.ANSWER).size(), "an SRV record per instance, by port");
        assertEquals(1, srv.getSection(Section.ADDITIONAL).stream().filter(ARecord.class::isInstance).count(),
                "one address record for their one target");

        SRVRecord named = (SRVRecord) ask(server, "named.service.consul.", Type.SRV, false)
                .getSection(Section.ANSWER).get(0);
        assertEquals(Name.fromString("db.example.internal."), named.getTarget(),
                "a host name is left to the client's resolver, as in Consul");
    }

    @Test
    void aNamedPortIsAskedForAsPortNameDotPort() throws Exception {
        Message grpc = ask(server, "grpc.port.api.service.consul.", Type.SRV, false);
        List<SRVRecord> records = grpc.getSection(Section.ANSWER).stream().map(SRVRecord.class::cast).toList();
        assertEquals(List.of(9090), records.stream().map(SRVRecord::getPort).toList(),
                "only the instance with a port of that name, on that port");
        assertEquals(Set.of("10.6.0.1"), addresses(ask(server, "GRPC.port.api.service.dc1.consul.", Type.A, false)));
        assertEquals(Set.of(8080), Set.copyOf(ask(server, "api.service.consul.", Type.SRV, false)
                .getSection(Section.ANSWER).stream().map(record -> ((SRVRecord) record).getPort()).toList()),
                "without a port name, the instance's port");
        assertEquals(Rcode.NXDOMAIN, ask(server, "admin.port.api.service.consul.", Type.SRV, false).getRcode());
    }

    @Test
    void namespacesIpv6AndTtls() throws Exception {
        assertEquals(Set.of("10.1.0.1"), addresses(ask(server, "web.service.team-a.ns.consul.", Type.A, false)));
        Message v6 = ask(server, "v6.service.consul.", Type.AAAA, false);
        assertEquals("0:0:0:0:0:0:0:1", ((AAAARecord) v6.getSection(Section.ANSWER).get(0)).getAddress()
                .getHostAddress());
        assertEquals(30, ask(server, "slow.service.consul.", Type.A, false).getSection(Section.ANSWER).get(0)
                .getTTL(), "a per-service TTL");
        assertEquals(0, ask(server, "web.service.consul.", Type.A, false).getSection(Section.ANSWER).get(0)
                .getTTL());
    }

    @Test
    void unknownNamesAreNxdomainWithTheSoaAndOtherDomainsAreRefused() throws Exception {
        for (String name : List.of("nothing.service.consul.", "web.service.dc2.consul.", "a.b.c.service.consul.",
                "web-3.node.consul.")) {
            Message answer = ask(server, name, Type.A, false);
            assertEquals(Rcode.NXDOMAIN, answer.getRcode(), name);
            SOARecord soa = (SOARecord) answer.getSection(Section.AUTHORITY).get(0);
            assertEquals(7, soa.getMinimum(), "the SOA's minimum TTL is the setting");
        }
        assertEquals(Rcode.REFUSED, ask(server, "example.com.", Type.A, false).getRcode());
    }

    @Test
    void instancesInMaintenanceNeverAppear() throws Exception {
        registry.register(instance("default", "maint", "maint-1", "10.4.0.1", 80, List.of(), Weights.DEFAULT,
                HealthStatus.PASSING));
        registry.register(instance("default", "maint", "maint-2", "10.4.0.2", 80, List.of(), Weights.DEFAULT,
                HealthStatus.PASSING));
        registry.putCheck("default", "maint-2", new Check("_service_maintenance:maint-2", "Maintenance",
                CheckKind.MAINTENANCE, "", null, null, null, null, null, null, HealthStatus.CRITICAL, "down"));
        assertEquals(Set.of("10.4.0.1"), addresses(ask(server, "maint.service.consul.", Type.A, false)));
    }

    @Test
    void recordsAreShuffledPerAnswer() throws Exception {
        Set<List<String>> orders = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            orders.add(ask(server, "big.service.consul.", Type.A, true).getSection(Section.ANSWER).stream()
                    .map(record -> ((ARecord) record).getAddress().getHostAddress()).toList());
        }
        assertTrue(orders.size() > 1, "20 answers in one order");
    }

    @Test
    void anAnswerGivenAgainFollowsEveryChangeOfItsServiceAtOnce() throws Exception {
        registry.register(instance("default", "fresh", "fresh-1", "10.7.0.1", 80, List.of(), Weights.DEFAULT,
                HealthStatus.PASSING));
        for (int i = 0; i < 3; i++) {
            assertEquals(Set.of("10.7.0.1"), addresses(ask(server, "fresh.service.consul.", Type.A, false)));
        }
        registry.register(instance("default", "fresh", "fresh-2", "10.7.0.2", 80, List.of(), Weights.DEFAULT,
                HealthStatus.PASSING));
        assertEquals(Set.of("10.7.0.1", "10.7.0.2"), addresses(ask(server, "fresh.service.consul.", Type.A, false)),
                "the first query after a write this member acknowledged sees it");
        registry.updateCheckStatus("default", "fresh-1", "service:fresh-1", HealthStatus.CRITICAL);
        assertEquals(Set.of("10.7.0.2"), addresses(ask(server, "fresh.service.consul.", Type.A, false)));
        registry.deregister("default", "fresh-2");
        assertEquals(Rcode.NXDOMAIN, ask(server, "fresh.service.consul.", Type.A, false).getRcode());
    }

    @Test
    void everyInstanceComesFirstInTheAnswersToOneQuestion() throws Exception {
        Set<String> first = new HashSet<>();
        for (int i = 0; i < 60; i++) {
            Message answer = ask(server, "web.service.consul.", Type.A, false);
            first.add(((ARecord) answer.getSection(Section.ANSWER).get(0)).getAddress().getHostAddress());
        }
        assertEquals(Set.of("10.0.0.1", "10.0.0.2", "10.0.0.4"), first, "what a client takes, spread over all");
    }

    @Test
    void anAnswerTooLargeForUdpIsTruncatedAndComesWholeOverTcpOrWithALargerEdnsSize() throws Exception {
        SimpleResolver plain = resolver(server, false);
        plain.setEDNS(-1);
        Message udp = plain.send(query("big.service.consul.", Type.A));
        assertTrue(udp.getHeader().getFlag(Flags.TC));
        assertTrue(udp.getSection(Section.ANSWER).size() < 40);
        assertTrue(udp.toWire().length <= 512);
        assertEquals(40, ask(server, "big.service.consul.", Type.A, true).getSection(Section.ANSWER).size());

        Message edns = resolver(server, false).send(query("big.service.consul.", Type.A));
        assertEquals(40, edns.getSection(Section.ANSWER).size(), "dnsjava offers 1,280 bytes with EDNS0");
        assertTrue(!edns.getHeader().getFlag(Flags.TC) && edns.getOPT() != null);
    }

    @Test
    void malformedPacketsAreAnsweredFormerrOrDroppedAndNeverStopTheServer() throws Exception {
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            socket.setSoTimeout(1_000);
            send(socket, new byte[] {1, 2, 3});
            byte[] brokenBody = new byte[20];
            brokenBody[0] = 0x12;
            brokenBody[1] = 0x34;
            brokenBody[5] = 1;
            brokenBody[12] = 63;
            send(socket, brokenBody);
            DatagramPacket reply = new DatagramPacket(new byte[512], 512);
            socket.receive(reply);
            Message formerr = new Message(java.util.Arrays.copyOf(reply.getData(), reply.getLength()));
            assertEquals(0x1234, formerr.getHeader().getID());
            assertEquals(Rcode.FORMERR, formerr.getRcode());
            assertThrows(SocketTimeoutException.class, () -> socket.receive(new DatagramPacket(new byte[512], 512)),
                    "three bytes are dropped without an answer");
        }
        assertEquals(Rcode.NOERROR, ask(server, "web.service.consul.", Type.A, false).getRcode());
    }

    /**
     * Queries that arrive together, as a resolver under load sends them, are read and answered in batches: each one is
     * answered once, to the socket that asked, with its own ID and its own question (kept answers and fresh ones
     * mixed).
     */
    @Test
    void aBurstOfQueriesFromTwoClientsIsAnsweredQueryByQuery() throws Exception {
        List<String> names = List.of("web.service.consul.", "v6.service.consul.", "shared.service.consul.",
                "nothing-here.service.consul.");
        try (DatagramSocket first = new DatagramSocket(0, InetAddress.getLoopbackAddress());
             DatagramSocket second = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            first.setReceiveBufferSize(1 << 20);
            second.setReceiveBufferSize(1 << 20);
            int burst = 64;
            for (int id = 0; id < burst; id++) {
                Message query = query(names.get(id % names.size()), Type.A);
                query.getHeader().setID(id);
                send(id % 2 == 0 ? first : second, query.toWire());
            }
            Map<Integer, String> answered = new HashMap<>();
            for (DatagramSocket socket : List.of(first, second)) {
                socket.setSoTimeout(5_000);
                for (int i = 0; i < burst / 2; i++) {
                    DatagramPacket reply = new DatagramPacket(new byte[4096], 4096);
                    socket.receive(reply);
                    Message answer = new Message(java.util.Arrays.copyOf(reply.getData(), reply.getLength()));
                    int id = answer.getHeader().getID();
                    assertEquals(socket == first ? 0 : 1, id % 2, "answered to the socket that asked");
                    assertNull(answered.put(id, answer.getQuestion().getName().toString()), "once each");
                }
            }
            for (int id = 0; id < burst; id++) {
                assertEquals(names.get(id % names.size()), answered.get(id), "query " + id);
            }
        }
    }

    /** A port already taken, for UDP or for TCP, fails the start with the socket's error, and can be used after. */
    @Test
    void aTakenPortFailsTheStartAndIsFreeAgainOnceReleased() throws Exception {
        DnsAnswerer answerer = new DnsAnswerer(registry, DnsSettings.defaults(), "dc1", () -> Permissions.ALL);
        try (DatagramSocket udpTaken = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            assertThrows(IOException.class, () -> DnsServer.start(answerer, new SimpleMeterRegistry(), "127.0.0.1",
                    udpTaken.getLocalPort()));
        }
        int port;
        try (ServerSocket tcpTaken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = tcpTaken.getLocalPort();
            assertThrows(IOException.class, () -> DnsServer.start(answerer, new SimpleMeterRegistry(), "127.0.0.1",
                    port));
        }
        try (DnsServer started = DnsServer.start(answerer, new SimpleMeterRegistry(), "127.0.0.1", port)) {
            assertEquals(port, started.port(), "the failed start let the UDP port go");
            assertEquals(Rcode.NOERROR, ask(started, "web.service.consul.", Type.A, false).getRcode());
        }
    }

    @Test
    void queriesOfArbitraryTypesCountAsOtherAndAddNoMetricSeries() throws Exception {
        for (int type = 1_000; type < 1_100; type++) {
            ask(server, "web.service.consul.", type, false);
        }
        assertEquals(Set.of(), METERS.find("meridian.dns.queries").counters().stream()
                .map(counter -> counter.getId().getTag("type"))
                .filter(type -> type.startsWith("TYPE")).collect(java.util.stream.Collectors.toSet()));
        assertTrue(METERS.find("meridian.dns.queries").tag("type", "other").counters().stream()
                .mapToDouble(counter -> counter.count()).sum() >= 100);
    }

    /**
     * TCP connections are bounded in number (one thread each) and in time: connections past the bound are closed at
     * once, and a client that trickles bytes to keep its connection open is cut off when the connection's time is up.
     */
    @Test
    void tcpConnectionsAreBoundedInNumberAndTime() throws Exception {
        List<Socket> clients = new ArrayList<>();
        try (DnsServer bounded = DnsServer.start(new DnsAnswerer(registry, DnsSettings.defaults(), "dc1",
                () -> Permissions.ALL), new SimpleMeterRegistry(), "127.0.0.1", 0, 4, Duration.ofSeconds(5))) {
            for (int i = 0; i < 12; i++) {
                Socket client = new Socket(InetAddress.getLoopbackAddress(), bounded.port());
                client.setSoTimeout(10_000);
                clients.add(client);
            }
            List<Socket> held = clients.stream().filter(client -> !closedByServer(client, 300)).toList();
            assertEquals(4, held.size(), "connections past the bound are closed at once");
            assertTrue(trickleUntilClosed(held.get(0)), "a trickling client is cut off when its time is up");
        } finally {
            for (Socket client : clients) {
                client.close();
            }
        }
    }

    /** Whether the server closes the connection within the time, seen as end of stream or a reset. */
    private static boolean closedByServer(Socket client, int withinMillis) {
        try {
            client.setSoTimeout(withinMillis);
            return client.getInputStream().read() < 0;
        } catch (SocketTimeoutException stillOpen) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    /**
     * Announces a 256-byte query and sends it one byte every 200 ms for up to 10 s, as a slow client would, so that
     * only the connection's time limit can end it; true once the server closes.
     */
    private static boolean trickleUntilClosed(Socket client) throws InterruptedException {
        try {
            client.getOutputStream().write(new byte[] {1, 0});
        } catch (IOException closed) {
            return true;
        }
        for (int i = 0; i < 50; i++) {
            try {
                client.getOutputStream().write(0);
            } catch (IOException closed) {
                return true;
            }
            if (closedByServer(client, 200)) {
                return true;
            }
        }
        return false;
    }

    private static void send(DatagramSocket socket, byte[] bytes) throws Exception {
        socket.send(new DatagramPacket(bytes, bytes.length, InetAddress.getLoopbackAddress(), server.port()));
    }

    private static Message ask(DnsServer target, String name, int type, boolean overTcp) throws Exception {
        return resolver(target, overTcp).send(query(name, type));
    }

    private static SimpleResolver resolver(DnsServer target, boolean overTcp) throws Exception {
        SimpleResolver resolver = new SimpleResolver(InetAddress.getLoopbackAddress());
        resolver.setPort(target.port());
        resolver.setTCP(overTcp);
        resolver.setIgnoreTruncation(true);
        resolver.setTimeout(Duration.ofSeconds(5));
        return resolver;
    }

    private static Message query(String name, int type) throws Exception {
        return Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN));
    }

    /** The addresses of the answer's A and AAAA records. */
    private static Set<String> addresses(Message answer) {
        return Set.copyOf(answer.getSection(Section.ANSWER).stream()
                .map(record -> record instanceof AAAARecord v6 ? v6.getAddress() : ((ARecord) record).getAddress())
                .map(java.net.InetAddress::getHostAddress).toList());
    }

    private static ServiceInstance instance(String namespace, String service, String id, String address, int port,
                                            List<String> tags, Weights weights, HealthStatus status) {
        Check check = new Check("service:" + id, "ttl", CheckKind.TTL, "", null, null, null, Duration.ofMinutes(10),
                null, null, status, "");
        return new ServiceInstance(namespace, service, id, address, port, tags, Map.of(), weights, false,
                List.of(check), "");
    }
}
