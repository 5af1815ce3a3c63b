package io.meridian.faults;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Judges a recorded history against what the members list at the end:
 * <ul>
 *   <li>no acknowledged write is lost: every acknowledged registration is listed by every member unless a
 *       deregistration of it may have taken effect, and no acknowledged deregistration is undone;</li>
 *   <li>on one member, a service's index never goes back: a read invoked after another read of the same service on
 *       the same member completed answers at an index at least as high;</li>
 *   <li>{@code ?consistent} reads of each service are linearizable against its writes ({@link Linearizability}).</li>
 * </ul>
 */
public final class HistoryChecker {

    private HistoryChecker() {
    }

    /**
     * The verdict on a history.
     *
     * @param acknowledged acknowledged registrations
     * @param lost         what acknowledged writes the final state contradicts, one line each
     * @param anomalies    index regressions and non-linearizable services, one line each
     * @param inconclusive services whose linearizability search ran out of budget
     */
    public record Verdict(int acknowledged, List<String> lost, List<String> anomalies, List<String> inconclusive) {

        public boolean passed() {
            return lost.isEmpty() && anomalies.isEmpty();
        }
    }

    /**
     * @param history    the run's operations
     * @param finalState per member, per service, the instance ids it lists once the run has converged
     */
    public static Verdict check(History history, Map<Integer, Map<String, Set<String>>> finalState) {
        List<Op> ops = history.ops();
        List<String> anomalies = new ArrayList<>(indexRegressions(ops));
        List<String> inconclusive = new ArrayList<>();
        Map<String, List<Op>> byService = ops.stream().collect(Collectors.groupingBy(Op::service));
        for (Map.Entry<String, List<Op>> service : new java.util.TreeMap<>(byService).entrySet()) {
            switch (Linearizability.check(service.getValue())) {
                case NOT_LINEARIZABLE -> anomalies.add(service.getKey() + ": ?consistent reads not linearizable");
                case INCONCLUSIVE -> inconclusive.add(service.getKey());
                default -> { }
            }
        }
        return new Verdict(acknowledgedRegistrations(ops).size(), lostWrites(ops, finalState), anomalies,
                inconclusive);
    }

    /** Instance ids, with their service, whose registration was acknowledged. */
    private static List<Op> acknowledgedRegistrations(List<Op> ops) {
        return ops.stream().filter(op -> op.kind() == Op.Kind.REGISTER && op.outcome() == Op.Outcome.OK).toList();
    }

    static List<String> lostWrites(List<Op> ops, Map<Integer, Map<String, Set<String>>> finalState) {
        Set<String> mayBeDeregistered = new HashSet<>();
        Set<String> deregistered = new HashSet<>();
        for (Op op : ops) {
            if (op.kind() == Op.Kind.DEREGISTER && op.outcome() != Op.Outcome.FAIL) {
                mayBeDeregistered.add(op.instanceId());
                if (op.outcome() == Op.Outcome.OK) {
                    deregistered.add(op.instanceId());
                }
            }
        }
        List<String> lost = new ArrayList<>();
        for (Map.Entry<Integer, Map<String, Set<String>>> member : finalState.entrySet()) {
            for (Op registration : acknowledgedRegistrations(ops)) {
                Set<String> listed = member.getValue().getOrDefault(registration.service(), Set.of());
                if (!mayBeDeregistered.contains(registration.instanceId())
                        && !listed.contains(registration.instanceId())) {
                    lost.add("node " + member.getKey() + " lacks acknowledged registration "
                            + registration.service() + "/" + registration.instanceId());
                }
            }
            member.getValue().forEach((service, ids) -> ids.stream().filter(deregistered::contains).forEach(id ->
                    lost.add("node " + member.getKey() + " still lists " + service + "/" + id
                            + " after its deregistration was acknowledged")));
        }
        return lost;
    }

    /** Reads on one member of one service, in real-time order, whose index went back. */
    static List<String> indexRegressions(List<Op> ops) {
        Map<String, List<Op>> reads = ops.stream()
                .filter(op -> op.kind().carriesIndex() && op.outcome() == Op.Outcome.OK)
                .collect(Collectors.groupingBy(op -> op.node() + "/" + op.service()));
        List<String> regressions = new ArrayList<>();
        for (Map.Entry<String, List<Op>> group : new java.util.TreeMap<>(reads).entrySet()) {
            List<Op> byCompletion = group.getValue().stream().sorted(Comparator.comparingLong(Op::completedAt))
                    .toList();
            List<Op> byInvocation = group.getValue().stream().sorted(Comparator.comparingLong(Op::invokedAt))
                    .toList();
            int completed = 0;
            long highest = 0;
            TreeSet<Long> reported = new TreeSet<>();
            for (Op read : byInvocation) {
                while (completed < byCompletion.size()
                        && byCompletion.get(completed).completedAt() < read.invokedAt()) {
                    highest = Math.max(highest, byCompletion.get(completed).index());
                    completed++;
                }
                if (read.index() < highest && reported.add(read.index())) {
                    regressions.add("node/service " + group.getKey() + ": index " + read.index()
                            + " after a completed read at " + highest);
                }
            }
        }
        return regressions;
    }
}
