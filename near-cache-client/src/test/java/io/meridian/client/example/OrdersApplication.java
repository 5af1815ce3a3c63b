package io.meridian.client.example;

import io.meridian.client.DiscoveryClient;
import io.meridian.client.balance.LoadBalancer;
import io.meridian.client.balance.SameZoneFirst;
import io.meridian.client.balance.SmoothWeightedRoundRobin;
import io.meridian.registry.InstanceEntry;
import io.meridian.registry.ServiceInstance;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The example application of the SDK's README: an "orders" service that registers itself, calls its "payments"
 * dependency with retries on the next instance, and drains on shutdown. Compiled with the tests, and
 * {@code ReadmeExampleTest} checks that the README shows this code, so the README's code keeps compiling.
 */
public final class OrdersApplication {

    private static final int ATTEMPTS = 3;

    private final DiscoveryClient discovery;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private final LoadBalancer balancer = new SameZoneFirst("eu-1a", new SmoothWeightedRoundRobin());

    OrdersApplication(DiscoveryClient discovery) {
        this.discovery = discovery;
    }

    public static void main(String[] args) throws Exception {
        DiscoveryClient discovery = DiscoveryClient.builder()
                .member("10.0.0.1:5701").member("10.0.0.2:5701").member("10.0.0.3:5701")
                .snapshotDirectory(Path.of("/var/lib/orders/meridian"), Duration.ofSeconds(5))
                .registrationTtl(Duration.ofSeconds(15), Duration.ofMinutes(1))
                .drainOnShutdown(Duration.ofSeconds(10))
                .build();

        // 1. Register this process. A TTL check is added and renewed in the background; on SIGTERM the
        //    shutdown hook marks the instance draining, waits 10 s for calls in flight, and deregisters it.
        String host = InetAddress.getLocalHost().getHostAddress();
        discovery.register(ServiceInstance.builder("orders", "orders-" + host).address(host).port(8080)
                .tags("v2").meta(Map.of("zone", "eu-1a")).build());

        // 2. Call a dependency: from the near cache, no network round trip to find it.
        OrdersApplication orders = new OrdersApplication(discovery);
        System.out.println(orders.charge("order-42"));
    }

    /** Calls payments, moving on to the next instance when one fails. */
    String charge(String orderId) throws InterruptedException {
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            InstanceEntry payments = discovery.choose("payments", balancer)
                    .orElseThrow(() -> new IllegalStateException("no healthy payments instance"));
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://"
                                + payments.instance().address() + ":" + payments.instance().port() + "/charge/"
                                + orderId)).timeout(Duration.ofSeconds(2)).POST(HttpRequest.BodyPublishers.noBody())
                        .build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() < 500) {
                    return response.body();
                }
            } catch (IOException unreachable) {
                // Fall through: report it and try the next instance.
            }
            // 3. Eject it here at once (choose() moves on) and have the cluster check it now.
            discovery.reportFailure(payments);
        }
        throw new IllegalStateException("payments failed " + ATTEMPTS + " times for " + orderId);
    }
}
