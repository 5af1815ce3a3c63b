package io.meridian.node;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

import java.net.InetAddress;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.meridian.node.TestNodes.get;
import static io.meridian.node.TestNodes.put;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A node's DNS interface and its {@code /metrics}, as dig and Prometheus see them, and how a TTL check's change reaches
 * every interface, on a real three-node cluster.
 */
class NodeInterfacesTest {

    private static TestNodes cluster;
    private static MeridianNode node;
    private static int dnsPort;

    @BeforeAll
    static void start() throws Exception {
        cluster = TestNodes.startThree();
        node = cluster.node(0);
        dnsPort = node.serveDns();
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void dnsAnswersFromTheSameRegistryAsHttp() throws Exception {
        put(node, "/v1/agent/service/register", "{\"ID\":\"dns-1\",\"Name\":\"dnsweb\",\"Address\":\"10.7.0.1\","
                + "\"Port\":80}");
        Message answer = dig("dnsweb.service.dc1.consul.", Type.A);
        assertEquals("10.7.0.1", ((ARecord) answer.getSection(Section.ANSWER).get(0)).getAddress().getHostAddress());
    }

    @Test
    void aTtlCheckFailedByItsInstanceLeavesLookupsBlockingQueriesAndDnsAtOnce() throws Exception {
        put(node, "/v1/agent/service/register", "{\"ID\":\"leased-1\",\"Name\":\"leased\",\"Address\":\"10.7.0.2\","
                + "\"Port\":80,\"Check\":{\"CheckID\":\"leased-1-ttl\",\"TTL\":\"5m\",\"Status\":\"passing\"}}");
        MeridianNode other = cluster.node(1);
        HttpResponse<String> passing = get(other, "/v1/health/service/leased?passing");
        assertTrue(passing.body().contains("leased-1"), passing.body());
        CompletableFuture<HttpResponse<String>> parked = TestNodes.getAsync(other,
                "/v1/health/service/leased?passing&wait=30s&index=" + TestNodes.index(passing));

        assertEquals(200, put(node, "/v1/agent/check/fail/leased-1-ttl?note=draining", "").statusCode());

        assertEquals("[]", get(node, "/v1/health/service/leased?passing").body(), "the node that took it, at once");
        assertEquals(0, dig("leased.service.consul.", Type.A).getSection(Section.ANSWER).size());
        assertEquals("[]", parked.get(2, TimeUnit.SECONDS).body(), "a parked query on another node is answered");
        assertTrue(get(other, "/v1/health/checks/leased").body().contains("\"Output\":\"draining\""));
    }

    @Test
    void metricsAreServedInPrometheusTextAndCoverEachFamily() throws Exception {
        put(node, "/v1/agent/service/register", "{\"ID\":\"m-1\",\"Name\":\"metered\",\"Port\":80,"
                + "\"Check\":{\"TTL\":\"30s\",\"Status\":\"passing\"}}");
        get(node, "/v1/health/service/metered");
        dig("metered.service.consul.", Type.A);
        dig("nothing.service.consul.", Type.SRV);

        HttpResponse<String> scrape = get(node, "/metrics");
        assertEquals(200, scrape.statusCode());
        assertTrue(scrape.headers().firstValue("Content-Type").orElseThrow().startsWith("text/plain"));
        PrometheusText metrics = PrometheusText.parse(scrape.body());

        assertTrue(metrics.value("meridian_http_requests_seconds_count", Map.of("route", "/v1/health/service/{name}",
                "method", "GET", "status", "200")) >= 1);
        assertTrue(metrics.value("meridian_http_requests_seconds_bucket", Map.of("route",
                "/v1/agent/service/register")) >= 1, "latency histograms");
        assertTrue(metrics.value("meridian_cp_commit_seconds_count", Map.of()) >= 1);
        assertTrue(metrics.value("meridian_projection_apply_seconds_count", Map.of()) >= 1);
        assertEquals(0, metrics.value("meridian_projection_repaired_parts_total", Map.of()));
        assertEquals(0, metrics.value("meridian_http_parked_queries", Map.of()));
        assertTrue(metrics.value("meridian_dns_queries_total", Map.of("type", "A", "result", "NOERROR")) >= 1);
        assertTrue(metrics.value("meridian_dns_queries_total", Map.of("type", "SRV", "result", "NXDOMAIN")) >= 1);
        metrics.value("meridian_checks_completed_total", Map.of());
        metrics.value("meridian_checks_scheduling_lag_p99_seconds", Map.of());
        await().atMost(Duration.ofSeconds(15)).ignoreExceptions().until(() -> PrometheusText.parse(
                get(node, "/metrics").body()).value("meridian_instances", Map.of("state", "passing")) >= 1);
        assertTrue(PrometheusText.parse(get(node, "/metrics").body()).value("meridian_services", Map.of()) >= 1);
    }

    private static Message dig(String name, int type) throws Exception {
        SimpleResolver resolver = new SimpleResolver(InetAddress.getLoopbackAddress());
        resolver.setPort(dnsPort);
        resolver.setTimeout(Duration.ofSeconds(5));
        return resolver.send(Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN)));
    }
}
