package io.meridian.faults;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The short form of the fault scenarios that runs in {@code mvn verify}: three {@code meridian node} processes in
 * network namespaces, the recorded workload (with an SDK client connected to each member alone), one partition (the
 * CP leader cut off) and one crash (the CP leader killed with SIGKILL and restarted), each judged by the history
 * checker. Needs root, as CI has; the long forms are {@code fault-tests/faults.sh}. A failing run prints the members'
 * logs.
 */
class FaultScenariosTest {

    private static final Duration HOLD = Duration.ofSeconds(10);

    @BeforeAll
    static void needsRoot() {
        assumeTrue("root".equals(System.getProperty("user.name")),
                "network namespaces need root: run as root (CI does) or use fault-tests/faults.sh with sudo");
    }

    @Test
    void theLeaderCutOffByAPartition(@TempDir Path directory) throws Exception {
        FaultRun.Result result = FaultRun.run(Scenario.PARTITION_LEADER, 1101, 3, HOLD, directory, System.out);
        System.out.println(Report.HEADER + "\n" + Report.row(3, result));
        assertAll(
                () -> assertEquals(java.util.List.of(), result.verdict().lost(), "no acknowledged write lost"),
                () -> assertEquals(java.util.List.of(), result.verdict().anomalies()),
                () -> assertTrue(result.convergeMillis() >= 0, "every member lists every acknowledged registration"
                        + " within " + FaultRun.CONVERGENCE_BOUND + " of healing"),
                () -> assertTrue(result.writesAgainMillis() >= 0 && result.writesAgainMillis() <= 10_000,
                        "writes on the majority side are acknowledged again within 10 s: "
                                + result.writesAgainMillis() + " ms"),
                () -> assertTrue(result.awayReadP99Millis() >= 0 && result.awayReadP99Millis() < 1_000,
                        "the cut-off member answers reads from its own copy: p99 " + result.awayReadP99Millis()
                                + " ms"),
                () -> assertTrue(result.awaySdkP99Millis() >= 0 && result.awaySdkP99Millis() < 1_000
                                && result.awaySdkFailures() == 0,
                        "an SDK client connected only to the cut-off member keeps answering lookups: p99 "
                                + result.awaySdkP99Millis() + " ms, " + result.awaySdkFailures() + " failed"),
                () -> assertTrue(result.awayWriteMaxMillis() <= 5_000,
                        "the cut-off member refuses writes within 5 s: " + result.awayWriteMaxMillis() + " ms"),
                () -> assertTrue(result.cutOffLeaderView().matches("KnownLeader false, LastContact [0-9]{4,} ms"),
                        "the cut-off member knows no leader and last heard of one seconds ago: "
                                + result.cutOffLeaderView()));
    }

    @Test
    void theLeaderKilled(@TempDir Path directory) throws Exception {
        FaultRun.Result result = FaultRun.run(Scenario.KILL_LEADER, 1102, 3, HOLD, directory, System.out);
        System.out.println(Report.HEADER + "\n" + Report.row(3, result));
        assertAll(
                () -> assertEquals(java.util.List.of(), result.verdict().lost(), "no acknowledged write lost"),
                () -> assertEquals(java.util.List.of(), result.verdict().anomalies()),
                () -> assertTrue(result.convergeMillis() >= 0, "the restarted member lists every acknowledged"
                        + " registration within " + FaultRun.CONVERGENCE_BOUND),
                () -> assertTrue(result.writesAgainMillis() >= 0 && result.writesAgainMillis() <= 10_000,
                        "writes are acknowledged again within 10 s of the crash: " + result.writesAgainMillis()
                                + " ms"));
    }
}
