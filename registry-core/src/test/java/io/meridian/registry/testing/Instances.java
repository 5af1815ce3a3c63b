package io.meridian.registry.testing;

import io.meridian.registry.Check;
import io.meridian.registry.CheckKind;
import io.meridian.registry.HealthStatus;
import io.meridian.registry.ServiceInstance;
import io.meridian.registry.Weights;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Instances for tests, valid unless a test changes them. */
public final class Instances {

    private Instances() {
    }

    public static ServiceInstance inNamespace(String namespace, String service, String id, String... tags) {
        return new ServiceInstance(namespace, service, id, "127.0.0.1", 8080, List.of(tags),
                Map.of("version", "1.0"), Weights.DEFAULT, false, List.of(), "");
    }

    public static ServiceInstance instance(String service, String id, String... tags) {
        return inNamespace(ServiceInstance.DEFAULT_NAMESPACE, service, id, tags);
    }

    /** An instance with one HTTP check in the given status. */
    public static ServiceInstance withCheck(String service, String id, HealthStatus status) {
        Check check = new Check("service:" + id, "http", CheckKind.HTTP, "http://127.0.0.1:1/healthz", null,
                Duration.ofSeconds(10), null, null, null, null, status, "");
        return new ServiceInstance(ServiceInstance.DEFAULT_NAMESPACE, service, id, "127.0.0.1", 8080, List.of(),
                Map.of(), Weights.DEFAULT, false, List.of(check), "");
    }
}
