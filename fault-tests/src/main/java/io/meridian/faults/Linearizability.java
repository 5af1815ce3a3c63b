package io.meridian.faults;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Checks that a service's {@code ?consistent} reads are linearizable against the registrations and deregistrations
 * of its instances: a Wing-Gong-Lowe search for an order of the operations that respects real time (an operation
 * that completed before another was invoked comes first) in which every read saw exactly the instances registered and
 * not yet deregistered before it. Acknowledged operations must be in the order; writes of unknown outcome may be
 * anywhere after their invocation, or nowhere. Since each instance id is registered once and deregistered at most
 * once, the registry's state follows from which operations are in the order, so the search remembers the sets of
 * operations it has tried and never tries one twice.
 *
 * <p>Before the search, each write of unknown outcome is resolved as far as the reads allow
 * ({@link #withUnknownWritesResolved}): a frozen or cut-off member leaves dozens of them, and each left open doubles
 * the orders to try.
 */
final class Linearizability {

    /** What the search found. */
    enum Result { LINEARIZABLE, NOT_LINEARIZABLE, INCONCLUSIVE }

    private static final int STATE_BUDGET = 500_000;

    private final List<Op> ops;
    private final Set<BitSet> tried = new HashSet<>();

    private Linearizability(List<Op> ops) {
        this.ops = ops.stream().sorted(Comparator.comparingLong(Op::invokedAt)).toList();
    }

    /**
     * Checks one service's history: its register and deregister operations that may have taken effect, and its
     * answered {@code ?consistent} reads. Other operations are ignored.
     */
    static Result check(List<Op> serviceOps) {
        List<Op> relevant = new ArrayList<>();
        for (Op op : serviceOps) {
            boolean write = (op.kind() == Op.Kind.REGISTER || op.kind() == Op.Kind.DEREGISTER)
                    && op.outcome() != Op.Outcome.FAIL;
            boolean read = op.kind() == Op.Kind.CONSISTENT_READ && op.outcome() == Op.Outcome.OK;
            if (write || read) {
                relevant.add(op);
            }
        }
        Linearizability search = new Linearizability(withUnknownWritesResolved(relevant));
        Result[] result = {Result.INCONCLUSIVE};
        // The search recurses once per operation: give it a deep stack.
        Thread thread = new Thread(null, () -> result[0] = search.run(), "linearizability", 512L << 20);
        thread.start();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return result[0];
    }

    /**
     * The operations with each write of unknown outcome resolved as far as the reads allow, since each would otherwise
     * double the orders to try:
     * <ul>
     *   <li>a registration that a read saw, or that an acknowledged deregistration needs, took effect before that read
     *   or deregistration answered: it is searched as if acknowledged then;</li>
     *   <li>a registration that no read that may follow it saw and no acknowledged deregistration needs is left out,
     *   with any deregistration of unknown outcome of its instance: placing it could only make some read wrong;</li>
     *   <li>a deregistration whose instance every read that may follow it saw is left out, for the same reason;</li>
     *   <li>a deregistration whose instance a read did not see although its registration took effect before that
     *   read was sent took effect before that read answered.</li>
     * </ul>
     * A read may follow a write if it answered after the write was sent.
     */
    static List<Op> withUnknownWritesResolved(List<Op> ops) {
        List<Op> reads = ops.stream().filter(op -> op.kind() == Op.Kind.CONSISTENT_READ).toList();
        Map<String, Long> registeredBy = new HashMap<>();
        List<Op> resolved = new ArrayList<>();
        for (Op op : ops) {
            if (op.kind() != Op.Kind.REGISTER || op.outcome() != Op.Outcome.UNKNOWN) {
                if (op.kind() == Op.Kind.REGISTER) {
                    registeredBy.put(op.instanceId(), op.completedAt());
                }
                resolved.add(op);
                continue;
            }
            long seenBy = Math.min(
                    earliestAnswer(reads.stream().filter(read -> read.seen().contains(op.instanceId()))),
                    earliestAnswer(ops.stream().filter(other -> other.kind() == Op.Kind.DEREGISTER
                            && other.outcome() == Op.Outcome.OK && other.instanceId().equals(op.instanceId()))));
            if (seenBy != Long.MAX_VALUE) {
                registeredBy.put(op.instanceId(), seenBy);
                resolved.add(tookEffectBy(op, seenBy));
            }
        }
        return resolved.stream()
                .filter(op -> op.kind() != Op.Kind.DEREGISTER || op.outcome() != Op.Outcome.UNKNOWN
                        || registeredBy.containsKey(op.instanceId()))
                .filter(op -> op.kind() != Op.Kind.DEREGISTER || op.outcome() != Op.Outcome.UNKNOWN
                        || !readsThatMayFollow(op, reads).allMatch(read -> read.seen().contains(op.instanceId())))
                .map(op -> op.kind() == Op.Kind.DEREGISTER && op.outcome() == Op.Outcome.UNKNOWN
                        ? deregisteredBy(op, reads, registeredBy.get(op.instanceId())) : op)
                .toList();
    }

    private static Op deregisteredBy(Op deregistration, List<Op> reads, long registeredBy) {
        long unseenBy = earliestAnswer(reads.stream().filter(read -> read.invokedAt() > registeredBy
                && !read.seen().contains(deregistration.instanceId())));
        return unseenBy == Long.MAX_VALUE ? deregistration : tookEffectBy(deregistration, unseenBy);
    }

    private static long earliestAnswer(Stream<Op> ops) {
        return ops.mapToLong(Op::completedAt).min().orElse(Long.MAX_VALUE);
    }

    private static Op tookEffectBy(Op write, long by) {
        return new Op(write.client(), write.kind(), write.service(), write.instanceId(), write.node(),
                write.invokedAt(), Math.max(by, write.invokedAt()), Op.Outcome.OK, write.index(), write.seen());
    }

    private static Stream<Op> readsThatMayFollow(Op write, List<Op> reads) {
        return reads.stream().filter(read -> read.completedAt() > write.invokedAt());
    }

    private Result run() {
        try {
            return extend(new BitSet(), new HashSet<>()) ? Result.LINEARIZABLE : Result.NOT_LINEARIZABLE;
        } catch (BudgetExceeded e) {
            return Result.INCONCLUSIVE;
        }
    }

    /**
     * Whether the operations outside {@code done} can follow the order so far, the registry holding {@code present}.
     */
    private boolean extend(BitSet done, Set<String> present) {
        long firstReturn = Long.MAX_VALUE;
        boolean acknowledgedLeft = false;
        for (int i = done.nextClearBit(0); i < ops.size(); i = done.nextClearBit(i + 1)) {
            if (ops.get(i).effectiveBy() != Long.MAX_VALUE) {
                acknowledgedLeft = true;
                firstReturn = Math.min(firstReturn, ops.get(i).effectiveBy());
            }
        }
        if (!acknowledgedLeft) {
            return true;
        }
        for (int i = done.nextClearBit(0); i < ops.size() && ops.get(i).invokedAt() < firstReturn;
             i = done.nextClearBit(i + 1)) {
            Op op = ops.get(i);
            if (!appliesTo(op, present)) {
                continue;
            }
            BitSet next = (BitSet) done.clone();
            next.set(i);
            if (!tried.add(next)) {
                continue;
            }
            if (tried.size() > STATE_BUDGET) {
                throw new BudgetExceeded();
            }
            Set<String> after = apply(op, present);
            if (extend(next, after)) {
                return true;
            }
        }
        return false;
    }

    /** A read must see exactly what is registered; a deregistration needs its instance (else it answers 404). */
    private static boolean appliesTo(Op op, Set<String> present) {
        return switch (op.kind()) {
            case CONSISTENT_READ -> op.seen().equals(present);
            case DEREGISTER -> present.contains(op.instanceId());
            case REGISTER -> !present.contains(op.instanceId());
            default -> false;
        };
    }

    private static Set<String> apply(Op op, Set<String> present) {
        if (op.kind() == Op.Kind.CONSISTENT_READ) {
            return present;
        }
        Set<String> after = new HashSet<>(present);
        if (op.kind() == Op.Kind.REGISTER) {
            after.add(op.instanceId());
        } else {
            after.remove(op.instanceId());
        }
        return after;
    }

    private static final class BudgetExceeded extends RuntimeException {
        BudgetExceeded() {
            super(null, null, false, false);
        }
    }
}
