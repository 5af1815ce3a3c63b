package io.meridian.client;

import io.meridian.client.balance.LoadBalancer;
import io.meridian.registry.InstanceEntry;
import io.meridian.registry.ServiceInstance;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Finds the healthy instances of services, from a near cache kept fresh by the cluster's invalidations, hears of
 * their changes, and registers the instances of this process. Build one with {@link #builder()}; close it to
 * disconnect. Thread-safe.
 *
 * <p>Stale routing beats no routing: while no member can be reached, lookups answer with the last view the client
 * saw of each service (kept in memory and, with {@link Builder#snapshotDirectory}, on disk, so that a process started
 * during an outage answers too). The client reconnects in the background and, once the cluster takes writes (a
 * cluster restarting from its members' disks takes none until it has restored its registry), reads afresh what it
 * holds.
 */
public interface DiscoveryClient extends AutoCloseable {

    /**
     * The passing instances of a service that match the query, ordered by id. A service looked up before is answered
     * from the near cache without a network call until a change invalidates it (or its near-cache TTL runs out).
     *
     * @throws io.meridian.registry.RegistryUnavailableException if the cluster cannot be reached and this client has
     *                                                           never seen the service (nor has its snapshot)
     */
    List<InstanceEntry> healthy(String service, InstanceQuery query);

    /** Every passing instance of a service, ordered by id: {@link #healthy(String, InstanceQuery)} with no query. */
    default List<InstanceEntry> healthy(String service) {
        return healthy(service, InstanceQuery.ANY);
    }

    /**
     * One passing instance of the service for the next call, picked by the balancer among all its passing instances;
     * empty if there is none. Answered from the near cache like {@link #healthy}. A balancer that counts calls in
     * flight ({@link io.meridian.client.balance.PowerOfTwoChoices}) counts this one until the caller tells it the
     * call ended with its {@code finished(entry)}; the other balancers need nothing back.
     *
     * @throws io.meridian.registry.RegistryUnavailableException as {@link #healthy} does
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
     * While the cluster cannot be reached, the listener first gets the last view seen, if any; after a reconnection
     * it gets the service as it is then, should it have changed meanwhile.
     */
    Subscription watch(String service, Consumer<List<InstanceEntry>> listener);

    /**
     * Registers an instance of this process in the client's namespace ({@link Builder#namespace}, the one place that
     * names it: an instance built without a namespace is put there) with a TTL check added ({@code service:<id>},
     * named {@code Service '<name>' check} as Consul names a service's check, passing, with the builder's TTL and
     * {@code DeregisterCriticalServiceAfter}) and renews the check every third of its TTL in the background.
     * Should the process die, the check lapses to critical and the instance is deregistered after that period. The
     * JVM's shutdown hook drains and deregisters every registration of this client ({@link Registration}).
     *
     * @throws IllegalArgumentException if the instance names a namespace other than the client's
     * @throws io.meridian.registry.InvalidRegistrationException if the instance breaks a rule; nothing is written
     * @throws io.meridian.registry.RegistryUnavailableException if the cluster did not commit it
     */
    Registration register(ServiceInstance instance);

    /**
     * Deregisters this client's registrations at once, writes its snapshot, and disconnects. Use
     * {@link Registration#drainAndDeregister} first to leave gracefully.
     */
    @Override
    void close();

    static Builder builder() {
        return new Builder();
    }

    /** The settings of a client; {@link #build()} connects. */
    final class Builder {
        private final List<String> members = new ArrayList<>();
        private boolean singleConnection;
        private String clusterName = "meridian";
        private String namespace = "default";
        private Duration nearCacheTtl = Duration.ofSeconds(60);
        private Duration ejectFor = Duration.ofSeconds(30);
        private Clock clock = Clock.systemUTC();
        private Path snapshotDirectory;
        private Duration snapshotEvery = Duration.ofSeconds(5);
        private Duration registrationTtl = Duration.ofSeconds(15);
        private Duration deregisterCriticalAfter = Duration.ofMinutes(1);
        private Duration drainOnShutdown = Duration.ofSeconds(5);
        private Duration startTimeout = Duration.ofSeconds(30);
        private Level hazelcastLogLevel = Level.WARNING;

        private Builder() {
        }

        /** A member to connect to, {@code host:port}; give several so that one being down does not matter. */
        public Builder member(String address) {
            members.add(address);
            return this;
        }

        /**
         * Talks to the cluster through one connection to one of the given addresses, and never to the addresses the
         * members advertise: for members behind a load balancer or a proxy that clients cannot pass. Every request
         * then takes an extra hop inside the cluster; by default the client connects to every member.
         */
        public Builder singleConnection() {
            this.singleConnection = true;
            return this;
        }

        public Builder clusterName(String name) {
            this.clusterName = name;
            return this;
        }

        /**
         * The namespace the client looks up and registers in ({@code default} unless named): the one place that names
         * it, since an instance given to {@link DiscoveryClient#register} is put in it.
         */
        public Builder namespace(String name) {
            this.namespace = name;
            return this;
        }

        /**
         * How long {@link #build()} waits for a member when it has no snapshot to answer from (30 s); past it,
         * {@code build()} throws. A client with a snapshot returns at once.
         */
        public Builder startTimeout(Duration timeout) {
            this.startTimeout = timeout;
            return this;
        }

        /**
         * The level of the Hazelcast client's own logging through {@code java.util.logging} (WARNING by default: at
         * INFO it writes a thousand lines and more per run). Set INFO to see its connection lifecycle. Has no effect
         * when {@code hazelcast.logging.type} sends Hazelcast's logging elsewhere.
         */
        public Builder hazelcastLogLevel(Level level) {
            this.hazelcastLogLevel = level;
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

        /**
         * Where the client keeps a snapshot of the views it has seen (one file per cluster and namespace), written
         * when they change, at most once per {@code every}. A client built with a snapshot answers lookups from it
         * at once, before any member is reachable. None by default.
         */
        public Builder snapshotDirectory(Path directory, Duration every) {
            this.snapshotDirectory = directory;
            this.snapshotEvery = every;
            return this;
        }

        /**
         * The TTL check of {@link #register}: its TTL (15 s; renewed every third of it) and how long it may be
         * critical before the instance is deregistered (1 min).
         */
        public Builder registrationTtl(Duration ttl, Duration deregisterCriticalAfter) {
            this.registrationTtl = ttl;
            this.deregisterCriticalAfter = deregisterCriticalAfter;
            return this;
        }

        /** How long the shutdown hook drains this client's registrations before deregistering them (5 s). */
        public Builder drainOnShutdown(Duration period) {
            this.drainOnShutdown = period;
            return this;
        }

        /**
         * Starts the client. Without a snapshot to answer from, it waits until a member answers, at most the start
         * timeout; with one, it returns at once and connects in the background. Either way it reconnects forever
         * after losing the cluster.
         *
         * @throws io.meridian.registry.RegistryUnavailableException if no member answered within the start timeout
         */
        public DiscoveryClient build() {
            if (members.isEmpty()) {
                throw new IllegalStateException("at least one member address is needed");
            }
            HazelcastLogging.setLevel(hazelcastLogLevel);
            return new NearCachedDiscoveryClient(new ClientSettings(members, singleConnection, clusterName, namespace,
                    nearCacheTtl, ejectFor, clock, snapshotDirectory, snapshotEvery, registrationTtl,
                    deregisterCriticalAfter, drainOnShutdown, startTimeout));
        }
    }
}
