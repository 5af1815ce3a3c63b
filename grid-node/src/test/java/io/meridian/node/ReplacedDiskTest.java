package io.meridian.node;

import io.meridian.registry.durable.DiskJournal;
import io.meridian.registry.durable.VersionedValue;
import io.meridian.registry.grid.DurableValues;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static io.meridian.node.TestNodes.get;
import static io.meridian.node.TestNodes.put;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Replaced disks. A member that starts with an empty data directory in a running cluster copies the cluster's state to
 * its disk by itself. In a cold start, a member with an empty disk does not count towards the majority of disks with
 * data that opens writes; until that majority has merged, writes answer 503 and reads answer from what is restored.
 */
class ReplacedDiskTest {

    private static final Duration BOUND = Duration.ofSeconds(90);

    @TempDir
    Path directory;

    @Test
    void aMemberWithAnEmptyDataDirectoryCatchesUpFromTheRunningCluster() throws Exception {
        NodeConfig base = TestNodes.config(3).withDataDir(Optional.of(directory));
        try (TestNodes cluster = TestNodes.startFirst(base, 3)) {
            MeridianNode first = cluster.node(0);
            assertTrue(first.awaitWritesOpen(BOUND));
            for (int i = 0; i < 30; i++) {
                assertEquals(200, put(first, "/v1/agent/service/register",
                        "{\"ID\":\"kept-" + i + "\",\"Name\":\"kept-" + (i % 4) + "\"}").statusCode());
            }
            assertEquals(200, put(first, "/v1/acl/policy", "{\"Name\":\"kept-read\",\"Rules\":[{\"Namespace\":"
                    + "\"default\",\"ServicePrefix\":\"kept\",\"Access\":\"read\"}]}").statusCode());

            cluster.kill(cluster.node(2));
            deleteRecursively(directory.resolve("node-2"));
            MeridianNode replaced = cluster.add(2);
            assertTrue(replaced.awaitInSync(BOUND), "the replaced member copies the cluster's state");
        }
        Map<String, VersionedValue> kept = durableState(directory.resolve("node-0"));
        Map<String, VersionedValue> copied = durableState(directory.resolve("node-2"));
        assertTrue(kept.keySet().stream().filter(key -> key.startsWith("registry/")).count() >= 4, kept.keySet()
                .toString());
        assertEquals(indexes(kept), indexes(copied));
    }

    /** The registry's and ACLs' keys and indexes, leaving out the cluster size each batch records. */
    private static Map<String, Long> indexes(Map<String, VersionedValue> state) {
        return state.entrySet().stream().filter(entry -> !entry.getKey().startsWith("cluster/"))
                .collect(Collectors.toMap(Map.Entry::getKey, entry -> entry.getValue().index()));
    }

    private static Map<String, VersionedValue> durableState(Path dataDir) throws Exception {
        try (DiskJournal journal = DiskJournal.open(dataDir, Long.MAX_VALUE, DurableValues.JOURNAL)) {
            return journal.state();
        }
    }

    private static void deleteRecursively(Path root) throws Exception {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    @Test
    void inAColdStartWritesWaitForAMajorityOfDisksWithDataAndReadsAnswerMeanwhile() throws Exception {
        NodeConfig base = TestNodes.config(5).withDataDir(Optional.of(directory));
        try (TestNodes cluster = TestNodes.startFirst(base, 5)) {
            for (int i = 0; i < 20; i++) {
                assertEquals(200, put(cluster.node(0), "/v1/agent/service/register",
                        "{\"ID\":\"cold-" + i + "\",\"Name\":\"cold\"}").statusCode());
            }
        }
        deleteRecursively(directory.resolve("node-2"));

        try (TestNodes restarted = TestNodes.launchFirst(base, 3)) {
            MeridianNode first = restarted.node(0);
            await().atMost(BOUND).ignoreExceptions().until(() -> countOf(get(first, "/v1/health/service/cold").body(),
                    "\"ID\":\"cold-") == 20);
            HttpResponse<String> refused = put(first, "/v1/agent/service/register", "{\"ID\":\"x\",\"Name\":\"cold\"}");
            assertEquals(503, refused.statusCode(), "two disks with data of the five the cluster had are no majority");
            assertTrue(refused.body().contains("restoring"), refused.body());

            restarted.add(3);
            await().atMost(BOUND).ignoreExceptions().until(() -> put(first, "/v1/agent/service/register",
                    "{\"ID\":\"x\",\"Name\":\"cold\"}").statusCode() == 200);
        }
    }

    @Test
    void aNodeStartedOnItsDiskAnswersNoReadBeforeItsDiskHasMerged() throws Exception {
        NodeConfig base = TestNodes.config(3).withDataDir(Optional.of(directory));
        try (TestNodes cluster = TestNodes.startFirst(base, 3)) {
            for (int i = 0; i < 20; i++) {
                assertEquals(200, put(cluster.node(i % 3), "/v1/agent/service/register",
                        "{\"ID\":\"early-" + i + "\",\"Name\":\"early\"}").statusCode());
            }
        }

        try (TestNodes restarted = TestNodes.none(base)) {
            // Alone, one of three CP members: no Raft group, so its disk cannot merge and its projection is empty.
            MeridianNode alone = restarted.add(0);
            HttpResponse<String> read = get(alone, "/v1/health/service/early");
            assertEquals(503, read.statusCode(), "an empty answer would make clients drop every instance: "
                    + read.body());
            assertTrue(read.body().contains("restoring"), read.body());
            HttpResponse<String> ready = get(alone, "/readyz");
            assertEquals(503, ready.statusCode(), "a load balancer sends it nothing yet");
            assertTrue(ready.body().contains("restoring"), ready.body());

            // The CP Subsystem forms once all three of its members are up again.
            restarted.add(1);
            restarted.add(2);
            await().atMost(BOUND).ignoreExceptions().until(() -> countOf(get(alone, "/v1/health/service/early").body(),
                    "\"ID\":\"early-") == 20);
        }
    }

    private static int countOf(String text, String part) {
        return text.split(Pattern.quote(part), -1).length - 1;
    }
}
