package io.meridian.health.check;

import io.meridian.registry.Check;
import io.meridian.registry.CheckKind;
import io.meridian.registry.HealthStatus;
import io.meridian.registry.TtlLease;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** TTL arithmetic with explicit times: a 30 s TTL registered at t=0. */
class TtlProberTest {

    private static final Check TTL_30S = new Check("ttl", "", CheckKind.TTL, "", null, null, null,
            Duration.ofSeconds(30), null, null, HealthStatus.CRITICAL, "");

    /** Each row: when it was renewed (-1 never) and with what, the time now, and what the check says. */
    @ParameterizedTest(name = "renewed at {0} ms as {1}, now {2} ms: {3}")
    @CsvSource({
            "-1, PASSING, 0, CRITICAL",
            "-1, PASSING, 29999, CRITICAL",
            "-1, PASSING, 30000, CRITICAL",
            "1000, PASSING, 1000, PASSING",
            "1000, PASSING, 30999, PASSING",
            "1000, PASSING, 31000, CRITICAL",
            "1000, WARNING, 2000, WARNING",
            "50000, PASSING, 70000, PASSING"})
    void aLeaseLastsExactlyItsTtl(long renewedAt, HealthStatus renewedAs, long now, HealthStatus expected) {
        TtlLease lease = renewedAt < 0 ? null : new TtlLease(renewedAs, "note", renewedAt);
        assertEquals(expected, TtlProber.judge(lease, TTL_30S, 0, now).status());
    }
}
