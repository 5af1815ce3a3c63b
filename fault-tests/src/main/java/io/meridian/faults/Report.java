package io.meridian.faults;

/** The Markdown table of fault runs, as {@code RELIABILITY.md} shows it. */
final class Report {

    static final String HEADER = """
            | scenario | members | seed | operations | acknowledged writes | lost writes | anomalies | \
            writes again on the majority (ms) | cut-off member: read p99 (ms) | cut-off member: slowest write \
            answer (ms) | SDK client of the cut-off member: lookup p99 (ms), failed | cut-off member's leader \
            headers before healing | converged after healing (ms) |
            |---|---|---|---|---|---|---|---|---|---|---|---|---|""";

    private Report() {
    }

    static String row(int members, FaultRun.Result result) {
        return String.format("| %s | %d | %d | %d | %d | %d | %d%s | %s | %s | %s | %s | %s | %s |",
                result.scenario().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'), members,
                result.seed(), result.operations(), result.verdict().acknowledged(), result.verdict().lost().size(),
                result.verdict().anomalies().size(),
                result.verdict().inconclusive().isEmpty() ? "" : " (search inconclusive for "
                        + result.verdict().inconclusive() + ")",
                orNone(result.writesAgainMillis(), "never"), orNone(result.awayReadP99Millis(), "-"),
                orNone(result.awayWriteMaxMillis(), "-"),
                result.awaySdkP99Millis() < 0 ? "-" : result.awaySdkP99Millis() + ", " + result.awaySdkFailures(),
                result.cutOffLeaderView(), orNone(result.convergeMillis(), "not within 30 s"));
    }

    /** A run that could not finish (a member did not start, a tool failed): the row says why. */
    static String failedRow(int members, Scenario scenario, long seed, Exception failure) {
        return String.format("| %s | %d | %d | run failed: %s |", scenario.name().toLowerCase(java.util.Locale.ROOT)
                .replace('_', '-'), members, seed, failure.toString().replace('|', '/'));
    }

    private static String orNone(long value, String none) {
        return value < 0 ? none : Long.toString(value);
    }
}
