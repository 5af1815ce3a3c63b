package io.meridian.client;

import io.meridian.client.balance.LoadBalancer;
import io.meridian.registry.InstanceEntry;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Finds the healthy instances of services, from a near cache kept fresh by the cluster's invalidations, and hears of
 * their changes. Build one with {@link #builder()}; close it to disconnect. Thread-safe.
 */
public interface DiscoveryClient extends AutoCloseable {

    /**
     * The passing instances of a service that match the query, ordered by id. A service looked up before is answered
     * from the near cache without a network call until a change invalidates it (or its near-cache TTL runs out).
     */
    List<InstanceEntry> healthy(String service, InstanceQuery query);

    /**
     * One passing instance of the service for the next call, picked by the balancer among all its passing instances;
     * empty if there is none. Answered from the near cache like {@link #healthy}.
     */
    default Optional<InstanceEntry> choose(String service, LoadBalancer balancer) {
        return balancer.pick(healthy(service, InstanceQuery.ANY));
    }

    /**
     * Reports that a call to the instance failed: this client leaves it out of {@link #healthy} and {@link #choose}
     * for the ejection period, and the member that checks it checks it at once (a failing check turns it critical
     * without damping, for every client). Returns at once; the report travels in the background.
     */
    void reportFailure(InstanceEntry instance);

    /**
     * Calls the listener with the service's passing instances now and after every change to the service, in order,
     * on a thread of the client's. Changes are pushed by the cluster; rapid changes may be folded into one call.
     */
    Subscription watch(String service, Consumer<List<InstanceEntry>> listener);

    @Override
    void close();

    static Builder builder() {
        return new Builder();
    }

    /** The settings of a client; {@link #build()} connects. */
    final class Builder {
        private final List<String> members = new ArrayList<>();
        private String clusterName = "meridian";
        private String namespace = "default";
        private Duration nearCacheTtl = Duration.ofSeconds(60);
        private Duration ejectFor = Duration.ofSeconds(30);
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /** A member to connect to, {@code host:port}; give several so that one being down does not matter. */
        public Builder member(String address) {
            members.add(address);
            return this;
        }

        public Builder clusterName(String name) {
            this.clusterName = name;
            return this;
        }

        public Builder namespace(String name) {
            this.namespace = name;
            return this;
        }

        /** The longest a near-cached entry is used without a refresh, should an invalidation be lost. */
        public Builder nearCacheTtl(Duration ttl) {
            this.nearCacheTtl = ttl;
            return this;
        }

        /** How long an instance reported as failing is left out of this client's answers. */
        public Builder ejectFor(Duration period) {
            this.ejectFor = period;
            return this;
        }

        /** The clock ejections are timed with. */
        public Builder clock(Clock source) {
            this.clock = source;
            return this;
        }

        /** Connects to the cluster. */
        public DiscoveryClient build() {
            if (members.isEmpty()) {
                throw new IllegalStateException("at least one member address is needed");
            }
            return new NearCachedDiscoveryClient(members, clusterName, namespace, nearCacheTtl,
                    new Ejections(clock, ejectFor));
        }
    }
}
