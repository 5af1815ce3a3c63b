package io.meridian.node;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static io.meridian.node.TestNodes.get;
import static io.meridian.node.TestNodes.index;
import static io.meridian.node.TestNodes.post;
import static io.meridian.node.TestNodes.put;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two of three voters gone for good: {@code meridian operator recover}, run against the survivor, brings the cluster
 * back to writing with every registration, ACL policy and prepared query the survivor held, once replacements have
 * joined. The nodes keep data directories, so the prepared queries come back as the survivor's disk holds them when
 * that is newer than what the survivor itself last read.
 */
class MajorityRecoveryTest {

    private static final int REGISTRATIONS = 20;

    @TempDir
    Path directory;

    @Test
    void theSurvivorRecoversEveryRegistrationAclPolicyAndPreparedQueryOntoReplacementMembers() throws Exception {
        NodeConfig withDisks = TestNodes.config(5).withDataDir(Optional.of(directory.resolve("data")));
        try (TestNodes cluster = TestNodes.startFirst(withDisks, 3)) {
            MeridianNode survivor = cluster.nodes().stream()
                    .filter(node -> node.member().getCluster().getMembers().iterator().next().localMember())
                    .findFirst().orElseThrow();
            for (int i = 0; i < REGISTRATIONS; i++) {
                assertEquals(200, put(survivor, "/v1/agent/service/register",
                        "{\"ID\":\"kept-" + i + "\",\"Name\":\"kept\",\"Port\":" + (9000 + i) + "}").statusCode());
            }
            assertEquals(200, put(survivor, "/v1/acl/policy", "{\"Name\":\"kept-read\",\"Rules\":[{\"Namespace\":"
                    + "\"default\",\"ServicePrefix\":\"kept\",\"Access\":\"read\"}]}").statusCode());
            assertEquals(200, post(survivor, "/v1/query", "{\"Name\":\"kept-query\",\"Service\":{\"Service\":"
                    + "\"kept\"}}").statusCode());
            List<MeridianNode> others = cluster.nodes().stream().filter(node -> node != survivor).toList();
            cluster.kill(others.get(1));
            // The two disks left are the majority a write needs, so this query is on the survivor's disk once it is
            // acknowledged; written through the other node, it is not in what the survivor itself last read.
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> assertEquals(200,
                    put(others.get(0), "/v1/agent/service/register",
                            "{\"ID\":\"kept-0\",\"Name\":\"kept\",\"Port\":9000}").statusCode()));
            assertEquals(200, post(others.get(0), "/v1/query", "{\"Name\":\"disk-query\",\"Service\":{\"Service\":"
                    + "\"kept\"}}").statusCode());
            long indexBefore = index(get(survivor, "/v1/health/service/kept"));
            cluster.kill(others.get(0));
            assertEquals(503, put(survivor, "/v1/agent/service/register",
                    "{\"ID\":\"refused\",\"Name\":\"kept\"}").statusCode(), "no majority, no write");

            Recovery tooFew = recover(survivor);
            assertEquals(1, tooFew.exitCode(), tooFew.output());
            assertTrue(tooFew.output().contains("start 2 more"), tooFew.output());

            MeridianNode replacement = cluster.add(3);
            cluster.add(4);
            Recovery recovered = recover(survivor);
            assertEquals(0, recovered.exitCode(), recovered.output());
            assertTrue(recovered.output().contains("\"InstancesRestored\":" + REGISTRATIONS), recovered.output());
            assertTrue(recovered.output().contains("\"PreparedQueries\":2"), recovered.output());

            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> assertEquals(200,
                    put(replacement, "/v1/agent/service/register", "{\"ID\":\"after\",\"Name\":\"kept\"}")
                            .statusCode()));
            // A consistent read reads every shard: while this node still looks the new group's shards up, it may
            // answer 503, which a client retries.
            HttpResponse<String> committed = await().atMost(Duration.ofSeconds(30)).until(
                    () -> get(replacement, "/v1/health/service/kept?consistent"), answer -> answer.statusCode() != 503);
            assertEquals(List.of(), missing(committed), "committed: " + committed.body());
            assertTrue(index(committed) > indexBefore, "the index never goes back");
            // A lookup without ?consistent answers from the member's copy of the projection, which follows.
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                HttpResponse<String> projected = get(replacement, "/v1/health/service/kept");
                assertEquals(List.of(), missing(projected), "projected: " + projected.body());
            });
            assertEquals(200, put(survivor, "/v1/agent/service/register", "{\"ID\":\"via-survivor\",\"Name\":\"kept\"}")
                    .statusCode(), "the survivor's proxies to the old CP group were replaced");
            assertTrue(get(replacement, "/v1/acl/policies").body().contains("kept-read"));
            HttpResponse<String> executed = get(replacement, "/v1/query/kept-query/execute");
            assertEquals(200, executed.statusCode(), executed.body());
            assertTrue(executed.body().contains("\"kept-0\""), "the prepared query is back and answers: "
                    + executed.body());
            HttpResponse<String> fromDisk = get(replacement, "/v1/query/disk-query/execute");
            assertEquals(200, fromDisk.statusCode(), "the query only the survivor's disk held: " + fromDisk.body());
        }
    }

    /** The ids of the restored registrations and of the one after the recovery that the answer lacks. */
    private static List<String> missing(HttpResponse<String> answer) {
        assertEquals(200, answer.statusCode(), answer.body());
        return Stream.concat(IntStream.range(0, REGISTRATIONS).mapToObj(i -> "kept-" + i), Stream.of("after"))
                .filter(id -> !answer.body().contains("\"" + id + "\""))
                .toList();
    }

    private record Recovery(int exitCode, String output) {
    }

    /** Runs {@code meridian operator recover} in a process of its own against the node. */
    private Recovery recover(MeridianNode node) throws Exception {
        Path output = Files.createTempFile(directory, "recover", ".log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                "io.meridian.node.Main", "operator", "recover", "--http-address", "127.0.0.1:" + node.httpPort())
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("operator recover did not finish: " + Files.readString(output));
        }
        return new Recovery(process.exitValue(), Files.readString(output));
    }
}
