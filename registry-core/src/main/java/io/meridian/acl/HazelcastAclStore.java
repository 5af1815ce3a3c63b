package io.meridian.acl;

import com.hazelcast.core.IFunction;
import com.hazelcast.cp.CPSubsystem;
import io.meridian.registry.RegistrationAdmission;
import io.meridian.registry.durable.DurableDocument;
import io.meridian.registry.durable.DurableWrites;
import io.meridian.registry.durable.VersionedValue;
import io.meridian.registry.grid.CpReference;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The {@link AclStore} in one CP {@code IAtomicReference}: every change is one Raft commit of a small function,
 * passes the cluster's restore gate first and is acknowledged once a majority of members has the new state on disk
 * ({@link DurableWrites}). The state carries an index that grows with every change, so copies from several disks
 * merge by keeping the newest. Requests resolve tokens from a copy read at most {@link #REFRESH} ago, so a deleted
 * token stops working within that time on other nodes (at once on this one); a token the copy lacks is looked for
 * again in a copy at most 100 ms old, so one just made on another node works at once. Should the CP group not answer,
 * the last copy answers at once until it does again. The bootstrap management token, from configuration, is never
 * stored. Thread-safe.
 */
public final class HazelcastAclStore implements AclStore, DurableDocument {

    /** How stale the copy requests are checked against may be. */
    public static final Duration REFRESH = Duration.ofSeconds(1);
    /**
     * How stale the copy may be when it lacks the token asked for: a token made on another node a moment ago is found
     * by reading afresh, while a flood of unknown tokens costs at most ten reads a second.
     */
    private static final Duration MISS_REFRESH = Duration.ofMillis(100);
    /** The key of the ACL state in the durable state. */
    public static final String DURABLE_KEY = "acl";

    private static final Logger LOG = Logger.getLogger(HazelcastAclStore.class.getName());
    private static final String NAME = "meridian-acl";
    /** Threads reading the ACL state in the background; one read at a time per store, idle threads end. */
    private static final ExecutorService REFRESHERS = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "meridian-acl-refresh");
        thread.setDaemon(true);
        return thread;
    });

    private final CpReference<AclState> state;
    private final DurableWrites durable;
    private final Optional<String> bootstrapHash;
    private volatile RegistrationAdmission admission = RegistrationAdmission.ALWAYS;
    private volatile Copy copy = new Copy(AclState.EMPTY, Long.MIN_VALUE / 2);
    private final AtomicReference<CompletableFuture<AclState>> refresh = new AtomicReference<>();
    /** Whether the last read of the CP group succeeded; true until one fails. */
    private volatile boolean cpAnswering = true;

    /**
     * @param bootstrapSecret the management token from configuration, if any
     * @param timeout         how long a write or a refresh waits for the CP group
     * @param durable         the gate and journal of the cluster's durable state
     */
    public HazelcastAclStore(CPSubsystem cp, Optional<String> bootstrapSecret, Duration timeout,
                             DurableWrites durable) {
        this.state = new CpReference<>(cp, NAME, timeout);
        this.durable = durable;
        this.bootstrapHash = bootstrapSecret.filter(secret -> !secret.isBlank()).map(Secrets::hash);
    }

    /**
     * From now on, asks the admission before each new or changed policy or token whether there is room for it, as
     * registrations do: the ACLs are held by every member too.
     */
    public void admitWritesBy(RegistrationAdmission writeAdmission) {
        this.admission = writeAdmission;
    }

    @Override
    public void putPolicy(AclPolicy policy) {
        if (policy.name().isBlank() || policy.rules().isEmpty()) {
            throw new IllegalArgumentException("a policy needs a Name and at least one rule");
        }
        admission.requireRoom();
        commit(new PutPolicy(policy, proposal()));
    }

    @Override
    public CreatedToken createToken(String description, List<String> policies, Optional<String> accessorId,
                                    Optional<String> secretId) {
        Map<String, AclPolicy> known = current().policies();
        List<String> unknown = policies.stream().filter(name -> !known.containsKey(name)).toList();
        if (!unknown.isEmpty() || policies.isEmpty()) {
            throw new IllegalArgumentException(policies.isEmpty() ? "a token needs at least one policy"
                    : "no such policy: " + String.join(", ", unknown));
        }
        String accessor = accessorId.map(id -> requireUuid("AccessorID", id)).orElseGet(() -> UUID.randomUUID()
                .toString());
        String secret = secretId.map(id -> requireUuid("SecretID", id)).orElseGet(() -> UUID.randomUUID().toString());
        AclToken token = new AclToken(accessor, Secrets.hash(secret), description, policies, false);
        admission.requireRoom();
        AclState after = commit(new PutNewToken(token, proposal())).after();
        if (!token.equals(after.tokens().get(token.secretHash()))) {
            throw new IllegalArgumentException("a token with this AccessorID or SecretID exists already");
        }
        return new CreatedToken(token, secret);
    }

    private static String requireUuid(String field, String value) {
        try {
            UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(field + " must be a UUID, as Consul's are, not '" + value + "'");
        }
        if (value.length() != 36) {
            throw new IllegalArgumentException(field + " must be a UUID in its 36-character form");
        }
        return value.toLowerCase(Locale.ROOT);
    }

    @Override
    public boolean deleteToken(String accessorId) {
        AclState before = commit(new DeleteToken(accessorId, proposal())).before();
        return before.tokens().values().stream()
                .anyMatch(token -> token.accessorId().equals(accessorId));
    }

    @Override
    public Optional<Permissions> resolve(String secret) {
        String hash = Secrets.hash(secret);
        if (bootstrapHash.isPresent() && MessageDigest.isEqual(bootstrapHash.get().getBytes(StandardCharsets.UTF_8),
                hash.getBytes(StandardCharsets.UTF_8))) {
            return Optional.of(Permissions.ALL);
        }
        AclState now = current(REFRESH);
        AclToken token = now.tokens().get(hash);
        if (token == null) {
            now = current(MISS_REFRESH);
            token = now.tokens().get(hash);
        }
        if (token == null) {
            return Optional.empty();
        }
        if (token.management()) {
            return Optional.of(Permissions.ALL);
        }
        List<AclRule> rules = new ArrayList<>();
        token.policies().stream().map(now.policies()::get).filter(Objects::nonNull)
                .forEach(policy -> rules.addAll(policy.rules()));
        return Optional.of(Permissions.of(rules));
    }

    @Override
    public List<AclPolicy> policies() {
        return List.copyOf(current().policies().values());
    }

    /** The state, read afresh from the CP group if the copy is older than {@link #REFRESH}. */
    private AclState current() {
        return current(REFRESH);
    }

    /**
     * The state, read afresh from the CP group if the copy is older than {@code maxAge}. While the CP group answers,
     * the caller waits for that read (one read at a time, shared by every caller). Once a read has failed, callers are
     * answered from the copy at once and reads go on in the background until one succeeds: during a CP outage a token
     * check never waits for the write timeout.
     */
    private AclState current(Duration maxAge) {
        Copy held = copy;
        if (System.nanoTime() - held.readAtNanos() < maxAge.toNanos()) {
            return held.state();
        }
        CompletableFuture<AclState> read = reading();
        if (!cpAnswering) {
            return held.state();
        }
        try {
            return read.join();
        } catch (CompletionException e) {
            return held.state();
        }
    }

    /** The read of the CP group under way, or a new one. */
    private CompletableFuture<AclState> reading() {
        while (true) {
            CompletableFuture<AclState> running = refresh.get();
            if (running != null) {
                return running;
            }
            CompletableFuture<AclState> started = new CompletableFuture<>();
            if (refresh.compareAndSet(null, started)) {
                REFRESHERS.execute(() -> read(started));
                return started;
            }
        }
    }

    private void read(CompletableFuture<AclState> result) {
        long startedAt = System.nanoTime();
        try {
            AclState fresh = AclState.orEmpty(state.get());
            copy = new Copy(fresh, startedAt);
            cpAnswering = true;
            refresh.set(null);
            result.complete(fresh);
        } catch (RuntimeException e) {
            if (cpAnswering) {
                LOG.log(Level.WARNING, "could not refresh the ACLs; answering from the copy read before until a"
                        + " refresh succeeds", e);
            }
            cpAnswering = false;
            refresh.set(null);
            result.completeExceptionally(e);
        }
    }

    /**
     * The policies and tokens as this node last read them: the committed state if the CP group answers now, else the
     * copy read before. What a recovery after losing the CP majority puts back with {@link #restore}.
     */
    public AclBackup backup() {
        try {
            return new AclBackup(AclState.orEmpty(state.get()));
        } catch (RuntimeException unanswered) {
            return new AclBackup(copy.state());
        }
    }

    /** Replaces the committed policies and tokens with the backup's, in one commit. */
    public void restore(AclBackup backup) {
        commit(new ReplaceState(backup.state(), proposal()));
    }

    /** The committed state as durable state: one key, {@link #DURABLE_KEY}; empty if no ACL was ever written. */
    @Override
    public Map<String, VersionedValue> committedState() {
        AclState held = state.get();
        return held == null ? Map.of() : Map.of(DURABLE_KEY, new VersionedValue(held.index(), held));
    }

    /**
     * Merges the ACL state of a member's disk into the committed state, keeping the newer, while the restore gate is
     * still closed: a cold start's step. Does nothing if the durable state holds no ACLs.
     */
    @Override
    public void merge(Map<String, VersionedValue> durableState) {
        AclState offered = aclStateIn(durableState);
        if (offered != null) {
            AclState after = state.alterAndGet(new MergeState(offered));
            persist(after);
        }
    }

    /** Makes the committed state the durable state's (a snapshot restore); no ACLs there means none after. */
    @Override
    public void replace(Map<String, VersionedValue> durableState) {
        AclState offered = aclStateIn(durableState);
        commit(new ReplaceState(offered == null ? AclState.EMPTY : offered, proposal()));
    }

    private static AclState aclStateIn(Map<String, VersionedValue> durableState) {
        VersionedValue value = durableState.get(DURABLE_KEY);
        return value != null && value.value() instanceof AclState acl ? acl : null;
    }

    /** Commits the change after the gate, journals the result and keeps it as this node's copy. */
    private Change commit(IFunction<AclState, AclState> change) {
        durable.requireWritable();
        AclState before = AclState.orEmpty(state.getAndAlter(change));
        AclState after = change.apply(before);
        persist(after);
        return new Change(before, after);
    }

    private record Change(AclState before, AclState after) {
    }

    private void persist(AclState after) {
        durable.persist(Map.of(DURABLE_KEY, new VersionedValue(after.index(), after)));
        copy = new Copy(after, System.nanoTime());
    }

    private record Copy(AclState state, long readAtNanos) {
    }

    /** Wall-clock microseconds, the index a change proposes; the state takes the larger of it and its own plus one. */
    private static long proposal() {
        return System.currentTimeMillis() * 1_000L;
    }

    /** Policies by name and tokens by the hash of their secret, at the index of the change that made them. */
    record AclState(long index, Map<String, AclPolicy> policies, Map<String, AclToken> tokens)
            implements Serializable {
        static final AclState EMPTY = new AclState(0, Map.of(), Map.of());

        /** The state a reference holds, which is null before the first change. */
        static AclState orEmpty(AclState held) {
            return held == null ? EMPTY : held;
        }

        long next(long proposal) {
            return Math.max(index + 1, proposal);
        }
    }

    private record ReplaceState(AclState replacement, long proposal) implements IFunction<AclState, AclState> {
        @Override
        public AclState apply(AclState current) {
            long index = Math.max(replacement.index(), AclState.orEmpty(current).next(proposal));
            return new AclState(index, replacement.policies(), replacement.tokens());
        }
    }

    private record MergeState(AclState offered) implements IFunction<AclState, AclState> {
        @Override
        public AclState apply(AclState current) {
            return current != null && current.index() >= offered.index() ? current : offered;
        }
    }

    private record PutPolicy(AclPolicy policy, long proposal) implements IFunction<AclState, AclState> {
        @Override
        public AclState apply(AclState current) {
            AclState base = AclState.orEmpty(current);
            Map<String, AclPolicy> policies = new HashMap<>(base.policies());
            policies.put(policy.name(), policy);
            return new AclState(base.next(proposal), policies, base.tokens());
        }
    }

    /** Adds the token unless its accessor id or secret is taken already, in which case nothing changes. */
    private record PutNewToken(AclToken token, long proposal) implements IFunction<AclState, AclState> {
        @Override
        public AclState apply(AclState current) {
            AclState base = AclState.orEmpty(current);
            boolean taken = base.tokens().containsKey(token.secretHash()) || base.tokens().values().stream()
                    .anyMatch(held -> held.accessorId().equals(token.accessorId()));
            if (taken) {
                return base;
            }
            Map<String, AclToken> tokens = new HashMap<>(base.tokens());
            tokens.put(token.secretHash(), token);
            return new AclState(base.next(proposal), base.policies(), tokens);
        }
    }

    private record DeleteToken(String accessorId, long proposal) implements IFunction<AclState, AclState> {
        @Override
        public AclState apply(AclState current) {
            AclState base = AclState.orEmpty(current);
            Map<String, AclToken> tokens = new HashMap<>(base.tokens());
            tokens.values().removeIf(token -> token.accessorId().equals(accessorId));
            return new AclState(base.next(proposal), base.policies(), tokens);
        }
    }
}
