package io.meridian.faults;

import java.time.Duration;
import java.util.Random;
import java.util.Set;

/**
 * A fault schedule: what it does to the cluster while the workload runs, ending with everything healed and every
 * member running. Each reports when the fault began, which members were on the majority side (where writes must come
 * back) and which were cut off, crashed or paused, through {@link FaultRun.Context#faultBegins}, once the fault is in
 * place (the signal sent, the firewall rules written): a write that a member answered while the rules were still being
 * written says nothing of how the majority gets on without the member that is away.
 */
public enum Scenario {

    KILL_LEADER {
        @Override
        void run(FaultRun.Context run) throws Exception {
            int leader = run.leader();
            run.cluster().kill(leader);
            run.faultBegins(Set.of(leader), false);
            run.sleep(run.hold());
            run.relaunch(leader);
        }
    },
    KILL_RANDOM {
        @Override
        void run(FaultRun.Context run) throws Exception {
            for (int round = 0; round < 3; round++) {
                int victim = run.random().nextInt(run.cluster().size());
                run.cluster().kill(victim);
                run.faultBegins(Set.of(victim), false);
                run.sleep(Duration.ofSeconds(8));
                run.relaunch(victim);
                // Three members survive one failure at a time: the next kill waits until the restarted member is
                // seated again, as an operator's would.
                run.cluster().awaitHealthy(victim, FaultRun.RESTART_BOUND);
            }
        }
    },
    PAUSE_LEADER {
        @Override
        void run(FaultRun.Context run) {
            int leader = run.leader();
            run.cluster().pause(leader);
            run.faultBegins(Set.of(leader), false);
            run.sleep(Duration.ofSeconds(10));
            run.cluster().resume(leader);
        }
    },
    PARTITION_ONE {
        @Override
        void run(FaultRun.Context run) {
            isolateForAHold(run, run.random().nextInt(run.cluster().size()));
        }
    },
    PARTITION_LEADER {
        @Override
        void run(FaultRun.Context run) {
            isolateForAHold(run, run.leader());
        }
    },
    BRIDGE {
        @Override
        void run(FaultRun.Context run) {
            int middle = run.random().nextInt(run.cluster().size());
            run.lab().bridge(middle);
            run.faultBegins(Set.of(), false);
            run.sleep(run.hold());
            run.lab().heal();
        }
    },
    FLAPPING {
        @Override
        void run(FaultRun.Context run) {
            int flapping = run.random().nextInt(run.cluster().size());
            for (int round = 0; round < 5; round++) {
                run.lab().isolate(flapping);
                run.faultBegins(Set.of(flapping), true);
                run.sleep(Duration.ofSeconds(3));
                run.lab().heal();
                run.sleep(Duration.ofSeconds(3));
            }
        }
    },
    SLOW_LINK {
        @Override
        void run(FaultRun.Context run) {
            int slow = run.random().nextInt(run.cluster().size());
            run.lab().delay(slow, Duration.ofMillis(200));
            run.faultBegins(Set.of(), false);
            run.sleep(run.hold());
            run.lab().heal();
        }
    },
    ROLLING_RESTART {
        @Override
        void run(FaultRun.Context run) throws Exception {
            for (int i = 0; i < run.cluster().size(); i++) {
                run.faultBegins(Set.of(i), false);
                run.cluster().stop(i);
                run.relaunch(i);
                run.cluster().awaitHealthy(i, FaultRun.RESTART_BOUND);
            }
        }
    },
    WHOLE_CLUSTER_KILL {
        @Override
        void run(FaultRun.Context run) throws Exception {
            run.faultBegins(Set.of(), false);
            for (int i = 0; i < run.cluster().size(); i++) {
                run.cluster().kill(i);
            }
            for (int i = 0; i < run.cluster().size(); i++) {
                run.cluster().launch(i);
            }
            for (int i = 0; i < run.cluster().size(); i++) {
                run.cluster().awaitReady(i, FaultRun.RESTART_BOUND);
            }
        }
    };

    /** Cuts {@code member} off from the others for the run's hold, noting what it says of the leader before healing. */
    private static void isolateForAHold(FaultRun.Context run, int member) {
        run.lab().isolate(member);
        run.faultBegins(Set.of(member), true);
        run.sleep(run.hold());
        run.sampleLeaderView(member);
        run.lab().heal();
    }

    /** Applies the schedule; returns with every member running and the network whole. */
    abstract void run(FaultRun.Context run) throws Exception;

    /** A seed's random choice of scenario-specific victims, shared with the workload's seed for reproducibility. */
    static Random randomFor(long seed) {
        return new Random(seed ^ 0x5DEECE66DL);
    }
}
