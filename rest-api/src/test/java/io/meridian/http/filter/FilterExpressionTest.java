package io.meridian.http.filter;

import io.meridian.registry.Check;
import io.meridian.registry.CheckKind;
import io.meridian.registry.HealthStatus;
import io.meridian.registry.InstanceEntry;
import io.meridian.registry.ServiceInstance;
import io.meridian.registry.Weights;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** The filter language on one instance: what holds, and where a bad expression fails. */
class FilterExpressionTest {

    private static final InstanceEntry WEB = new InstanceEntry(new ServiceInstance("default", "web", "web-1",
            "10.0.0.1", 8080, List.of("v1", "primary"), Map.of("version", "1.2.3", "zone", "eu-1a"), Weights.DEFAULT,
            false, List.of(new Check("service:web-1", "http", CheckKind.TTL, "", null, null, null,
            Duration.ofSeconds(10), null, null, HealthStatus.WARNING, "")), ""), 1, 1);

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "Service.Service == web                                      | true",
        "Service.Service == \"api\"                                  | false",
        "Service.Service != api                                      | true",
        "Service.ID == `web-1`                                       | true",
        "v1 in Service.Tags                                          | true",
        "\"v2\" in Service.Tags                                      | false",
        "\"v2\" not in Service.Tags                                  | true",
        "Service.Tags contains primary                               | true",
        "Service.Tags not contains primary                           | false",
        "Service.Meta.version == \"1.2.3\"                           | true",
        "Service.Meta.version matches \"^1\\.2\"                     | true",
        "Service.Meta.version not matches \"^2\"                     | true",
        "Service.Meta.missing == x                                   | false",
        "Service.Port == 8080                                        | true",
        "Service.Address == \"10.0.0.1\"                             | true",
        "Checks.Status == warning                                    | true",
        "passing in Checks.Status                                    | false",
        "Service.Service == web and Service.Port == 9090             | false",
        "Service.Service == web and not (Service.Port == 9090)       | true",
        "Service.Service == api or Service.Tags contains v1          | true",
        "not Service.Service == web or v1 in Service.Tags            | true",
        "(Service.Service == api or Service.ID == web-1) and v1 in Service.Tags | true",
    })
    void expressionsHoldAsConsulDefinesThem(String expression, boolean holds) {
        assertEquals(holds, FilterExpression.parse(expression, InstanceSelectors.HEALTH)
                .test(InstanceSelectors.HEALTH.of(WEB)));
    }

    @ParameterizedTest(name = "{0} fails at {1}")
    @CsvSource(delimiter = '|', value = {
        "Service.Service ==                  | 19",
        "Service.Nope == web                 | 1",
        "Service.Service === web             | 19",
        "(Service.Service == web             | 24",
        "Service.Service == web)             | 23",
        "\"v1\" in Nope                      | 9",
        "Service.Tags contains \"v1          | 23",
        "Service.ID matches \"[\"            | 20",
        "Service.ID web                      | 12",
    })
    void badExpressionsNameThePosition(String expression, int position) {
        FilterSyntaxException error = assertThrows(FilterSyntaxException.class,
                () -> FilterExpression.parse(expression, InstanceSelectors.HEALTH));
        assertEquals(position, error.position(), error.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "ServiceName == web and ServiceTags contains v1 and ServiceMeta.zone == eu-1a | true",
        "ServicePort == 8080 and ServiceAddress == 10.0.0.1 and ServiceID == web-1   | true",
    })
    void theCatalogAlsoKnowsConsulsCatalogNames(String expression, boolean holds) {
        assertEquals(holds, FilterExpression.parse(expression, InstanceSelectors.CATALOG)
                .test(InstanceSelectors.CATALOG.of(WEB)));
    }

    /**
     * Patterns that backtrack exponentially in java.util.regex (the first ran for over 20 s on a 31-character value)
     * answer at once: RE2/J runs in time linear in the value. The timeout only guards against a hang; the figure it
     * replaces is 10^6 times larger.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
        "(.*a){25}$      ; 40",
        "(a+)+$          ; 100000",
        "(a|aa)+$        ; 100000",
        "^(a|a?)+b       ; 100000",
    })
    void catastrophicPatternsRunInLinearTime(String pattern, int length) {
        InstanceEntry hostile = new InstanceEntry(new ServiceInstance("default", "web", "web-2", "10.0.0.2", 8080,
                List.of(), Map.of("x", "a".repeat(length) + "!"), Weights.DEFAULT, false, List.of(), ""), 1, 1);
        FilterExpression matches = FilterExpression.parse("Service.Meta.x matches \"" + pattern + "\"",
                InstanceSelectors.HEALTH);
        assertFalse(assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> matches.test(InstanceSelectors.HEALTH.of(hostile))));
    }

    @Test
    void aPatternLongerThanTheLimitOrOutsideRe2IsRefused() {
        String tooLong = "a".repeat(FilterParser.MAX_PATTERN_LENGTH + 1);
        assertThrows(FilterSyntaxException.class, () -> FilterExpression.parse(
                "Service.ID matches \"" + tooLong + "\"", InstanceSelectors.HEALTH));
        assertThrows(FilterSyntaxException.class, () -> FilterExpression.parse(
                "Service.ID matches \"(a)\\1\"", InstanceSelectors.HEALTH), "backreferences are not RE2");
    }
}
