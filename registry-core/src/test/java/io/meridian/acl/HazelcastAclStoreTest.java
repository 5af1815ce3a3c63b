package io.meridian.acl;

import io.meridian.registry.durable.DurableWrites;
import io.meridian.registry.durable.VersionedValue;
import io.meridian.registry.testing.TestCluster;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HazelcastAclStoreTest {

    /** Writes that need no disk: these members keep none. */
    private static final DurableWrites IN_MEMORY = new DurableWrites() {
        @Override
        public void requireWritable() {
        }

        @Override
        public void persist(Map<String, VersionedValue> changes) {
        }
    };

    @Test
    void duringACpOutageTokensAreCheckedAgainstTheLastCopyWithoutWaitingForTheCpGroup() throws Exception {
        Duration timeout = Duration.ofSeconds(3);
        try (TestCluster cluster = TestCluster.start(3)) {
            HazelcastAclStore store = new HazelcastAclStore(cluster.member(0).getCPSubsystem(), Optional.empty(),
                    timeout, IN_MEMORY);
            store.putPolicy(new AclPolicy("web-read", List.of(new AclRule("default", "web", Access.READ))));
            String secret = store.createToken("reader", List.of("web-read"), Optional.empty(), Optional.empty())
                    .secret();
            assertTrue(store.resolve(secret).orElseThrow().allows("default", "web", Access.READ));

            cluster.terminate(cluster.member(2));
            cluster.terminate(cluster.member(1));
            Thread.sleep(HazelcastAclStore.REFRESH.toMillis() + 100);
            assertTrue(store.resolve(secret).isPresent(), "the first stale check waits for a read that fails,"
                    + " then answers from the copy");

            long slowestNanos = 0;
            for (int i = 0; i < 10; i++) {
                Thread.sleep(150);
                long start = System.nanoTime();
                Optional<Permissions> resolved = store.resolve(secret);
                slowestNanos = Math.max(slowestNanos, System.nanoTime() - start);
                assertTrue(resolved.orElseThrow().allows("default", "web", Access.READ));
                assertFalse(store.resolve("unknown-" + i).isPresent());
            }
            assertTrue(slowestNanos < timeout.toNanos(), "no check waited out the CP timeout: slowest "
                    + slowestNanos / 1_000_000 + " ms");
        }
    }
}
