package io.meridian.registry;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CheckTargetRulesTest {

    private static final List<Integer> MEMBER_PORTS = List.of(5701, 8500, 8600);

    /** A node's defaults, the node's ports on 10.0.0.5 and on this machine. */
    private static CheckTargetRules node(String allowed, String denied, String methods) throws Exception {
        return new CheckTargetRules(networks(allowed), denied.equals("default") ? CheckTargetRules.nodeDefaultDenied()
                : networks(denied), words(methods), List.of(InetAddress.getByName("10.0.0.5")), MEMBER_PORTS);
    }

    private static List<Network> networks(String list) {
        return words(list).stream().map(Network::parse).toList();
    }

    private static List<String> words(String list) {
        return Arrays.stream(list.split(" ")).filter(word -> !word.isEmpty()).toList();
    }

    private static Check http(String url, String method, String body) {
        return new Check("c", "", CheckKind.HTTP, url, new HttpOptions(method, java.util.Map.of(), body, false),
                Duration.ofSeconds(10), null, null, null, null, HealthStatus.CRITICAL, null);
    }

    private static Check tcp(String target) {
        return new Check("c", "", CheckKind.TCP, target, null, Duration.ofSeconds(10), null, null, null, null,
                HealthStatus.CRITICAL, null);
    }

    @ParameterizedTest(name = "{0}:{1} allowed {2}, denied {3}: {4}")
    @CsvSource(delimiter = '|', textBlock = """
            169.254.169.254 | 80    |                  | default          | 169.254.0.0/16 of meridian.check-denied-networks
            fe80::1         | 80    |                  | default          | fe80:0:0:0:0:0:0:0/10 of meridian.check-denied-networks
            127.0.0.1       | 9000  |                  | default          | 127.0.0.0/8 of meridian.check-denied-networks
            0.0.0.0         | 9000  |                  | default          | 0.0.0.0/32 of meridian.check-denied-networks
            ::1             | 9000  |                  | default          | 0:0:0:0:0:0:0:1/128 of meridian.check-denied-networks
            10.1.2.3        | 80    |                  | default          | allowed
            127.0.0.1       | 9000  | 127.0.0.1/32     | default          | allowed
            127.0.0.2       | 9000  | 127.0.0.1/32     | default          | 127.0.0.0/8 of meridian.check-denied-networks
            127.0.0.1       | 9000  | 127.0.0.0/8      | 127.0.0.0/8      | 127.0.0.0/8 of meridian.check-denied-networks
            10.1.2.3        | 80    | 10.0.0.0/8       | default          | allowed
            192.168.1.1     | 80    | 10.0.0.0/8       | default          | none of meridian.check-allowed-networks
            10.9.9.9        | 80    | 10.0.0.0/8       | 10.9.0.0/16      | 10.9.0.0/16 of meridian.check-denied-networks
            127.0.0.1       | 8500  | 127.0.0.0/8      |                  | a Meridian member's own port
            0.0.0.0         | 5701  |                  |                  | a Meridian member's own port
            10.0.0.5        | 8600  |                  |                  | a Meridian member's own port
            10.0.0.5        | 8080  |                  |                  | allowed
            10.0.0.6        | 8500  |                  |                  | allowed
            """)
    void anAddressIsJudgedByTheMostSpecificBlockAndMemberPortsAreNeverTargets(String address, int port,
                                                                             String allowed, String denied,
                                                                             String verdict) throws Exception {
        CheckTargetRules rules = node(allowed == null ? "" : allowed, denied == null ? "" : denied, "");
        var refusal = rules.refusal(InetAddress.getByName(address), port);
        if (verdict.equals("allowed")) {
            assertTrue(refusal.isEmpty(), () -> "refused: " + refusal);
        } else {
            assertTrue(refusal.orElseThrow().contains(verdict), refusal::get);
        }
    }

    @ParameterizedTest(name = "{0} {1} body ''{2}'' with {3} added: {4}")
    @CsvSource(delimiter = '|', textBlock = """
            http://10.1.2.3/health                       | GET    |     |           | allowed
            http://10.1.2.3/health                       | head   |     |           | allowed
            http://10.1.2.3/v1/agent/service/deregister/x | PUT    |     |           | method PUT is not allowed
            http://10.1.2.3/health                       | POST   | {}  |           | method POST is not allowed
            http://10.1.2.3/health                       | GET    | {}  | POST      | a body is sent only with a method
            http://10.1.2.3/health                       | POST   | {}  | post      | allowed
            http://169.254.169.254/latest/meta-data/      | GET    |     |           | 169.254.0.0/16 of meridian.check-denied-networks
            http://[fe80::1]:8080/                        | GET    |     |           | fe80:0:0:0:0:0:0:0/10
            http://localhost:9000/                        | GET    |     |           | 127.0.0.0/8 of meridian.check-denied-networks
            """)
    void aRegisteredHttpCheckNamesTheRuleItBreaks(String url, String method, String body, String added,
                                                  String verdict) throws Exception {
        CheckTargetRules rules = node("", "default", added == null ? "" : added);
        List<String> violations = rules.violations(List.of(http(url, method, body == null ? "" : body)));
        if (verdict.equals("allowed")) {
            assertEquals(List.of(), violations);
        } else {
            assertEquals(1, violations.size(), violations::toString);
            assertTrue(violations.get(0).startsWith("check 'c': ") && violations.get(0).contains(verdict),
                    violations::toString);
        }
    }

    @ParameterizedTest
    @CsvSource({"localhost:8500, a Meridian member's own port", "127.0.0.1:22, 127.0.0.0/8",
            "[::1]:22, 0:0:0:0:0:0:0:1/128", "10.0.0.5:5701, a Meridian member's own port"})
    void aTcpTargetIsResolvedAndJudged(String target, String verdict) throws Exception {
        InvalidRegistrationException refused = assertThrows(InvalidRegistrationException.class,
                () -> node("", "default", "").requireAllowed(List.of(tcp(target))));
        assertTrue(refused.getMessage().contains(verdict), refused::getMessage);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            10.0.0.0/8     | 10.0.0.0/8
            10.1.2.3/8     | 10.0.0.0/8
            192.168.1.7    | 192.168.1.7/32
            fe80::1/10     | fe80:0:0:0:0:0:0:0/10
            """)
    void blocksAreParsedToTheirFirstAddress(String text, String parsed) {
        assertEquals(parsed, Network.parse(text).toString());
    }

    @ParameterizedTest
    @CsvSource({"example.com/8", "10.0.0.0/33", "10.0.0.0/x", "'', ", "::1/129"})
    void aBlockThatIsNotOneIsRefused(String text) {
        assertThrows(IllegalArgumentException.class, () -> Network.parse(text == null ? "" : text));
    }
}
