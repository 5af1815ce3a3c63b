package io.meridian.faults;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The operations of a run in the order they completed, and what it takes to ask questions of them. Thread-safe. */
public final class History {

    private final List<Op> ops = new ArrayList<>();

    public synchronized void add(Op op) {
        ops.add(op);
    }

    /** Every operation so far, by invocation time. */
    public synchronized List<Op> ops() {
        return ops.stream().sorted(Comparator.comparingLong(Op::invokedAt)).toList();
    }

    public static History of(List<Op> ops) {
        History history = new History();
        ops.forEach(history::add);
        return history;
    }
}
