package io.meridian.client;

import io.meridian.registry.ServiceInstance;
import io.meridian.registry.Weights;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The main class of the child JVM in {@link SelfRegistrationTest}: registers one instance through the SDK, with a
 * 2 s TTL, deregistration 3 s after it turns critical and a 1 s drain on shutdown, says so, and runs until killed.
 * Arguments: cluster name, member addresses separated by commas, instance id.
 */
public final class SelfRegisteringProcess {

    private SelfRegisteringProcess() {
    }

    public static void main(String[] args) throws InterruptedException {
        DiscoveryClient.Builder builder = DiscoveryClient.builder().clusterName(args[0])
                .registrationTtl(Duration.ofSeconds(2), Duration.ofSeconds(3))
                .drainOnShutdown(Duration.ofSeconds(1));
        List.of(args[1].split(",")).forEach(builder::member);
        DiscoveryClient discovery = builder.build();
        discovery.register(new ServiceInstance(ServiceInstance.DEFAULT_NAMESPACE, "child", args[2], "127.0.0.1", 9000,
                List.of(), Map.of(), Weights.DEFAULT, false, List.of(), ""));
        System.out.println("registered " + args[2]);
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
