package io.meridian.dns;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.meridian.acl.Permissions;
import io.meridian.registry.Check;
import io.meridian.registry.CheckKind;
import io.meridian.registry.HealthStatus;
import io.meridian.registry.InstanceEntry;
import io.meridian.registry.Registry;
import io.meridian.registry.ServiceCatalog;
import io.meridian.registry.ServiceInstance;
import io.meridian.registry.ServiceView;
import io.meridian.registry.Weights;
import org.xbill.DNS.Message;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * DNS packets, as the server reads them: bytes that dnsjava parses as a message get an answer that encodes to the
 * wire, and the answerer never throws; bytes that do not parse are dnsjava's to refuse. The registry behind it holds
 * two instances of {@code web} and fails any write, since answering DNS must not write.
 */
class DnsMessageFuzzTest {

    private static final List<InstanceEntry> WEB = List.of(entry("web-1", "10.0.0.1"), entry("web-2", "::1"));
    private static final DnsAnswerer ANSWERER = new DnsAnswerer(readOnlyRegistry(), new DnsSettings("consul", false,
            Duration.ZERO, Map.of(), Duration.ofSeconds(5)), "dc1", () -> Permissions.ALL);

    // load-tests/fuzz.sh bounds a fuzzing run; mvn verify replays the corpus only.
    @FuzzTest(maxDuration = "24h")
    void aParsedQueryGetsAnAnswerThatEncodes(byte[] packet) {
        Message query;
        try {
            query = new Message(packet);
        } catch (IOException unparsable) {
            return;
        }
        ANSWERER.answer(query).response().toWire(512);
        ANSWERER.answer(query).response().toWire();
    }

    private static InstanceEntry entry(String id, String address) {
        Check check = new Check("service:" + id, "ttl", CheckKind.TTL, "", null, null, null, Duration.ofMinutes(10),
                null, null, HealthStatus.PASSING, "");
        return new InstanceEntry(new ServiceInstance("default", "web", id, address, 8080, List.of("v1"), Map.of(),
                Weights.DEFAULT, false, List.of(check), "node-1"), 2, 3);
    }

    private static Registry readOnlyRegistry() {
        return (Registry) Proxy.newProxyInstance(Registry.class.getClassLoader(), new Class<?>[] {Registry.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "service", "serviceConsistent" -> new ServiceView((String) args[0],
                            (String) args[1], 3, "web".equals(args[1]) ? WEB : List.of());
                    case "instances" -> WEB;
                    case "catalog" -> new ServiceCatalog(3, new TreeMap<>(Map.of("web",
                            new java.util.TreeSet<>(List.of("v1")))));
                    case "checkOutcomes" -> Map.of();
                    case "serviceOfInstance", "serviceOfCheck" -> java.util.Optional.empty();
                    default -> throw new UnsupportedOperationException("DNS called " + method.getName());
                });
    }
}
