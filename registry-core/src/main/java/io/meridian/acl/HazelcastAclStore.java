package io.meridian.acl;

import com.hazelcast.core.IFunction;
import com.hazelcast.cp.CPSubsystem;
import com.hazelcast.cp.IAtomicReference;
import com.hazelcast.cp.exception.CPGroupDestroyedException;
import io.meridian.registry.RegistryUnavailableException;

import java.io.Serializable;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The {@link AclStore} in one CP {@code IAtomicReference}: every change is one Raft commit of a small function.
 * Requests resolve tokens from a copy read at most {@link #REFRESH} ago, so a deleted token stops working within
 * that time on other nodes (at once on this one); should the CP group not answer, the last copy is used. The
 * bootstrap management token, from configuration, is never stored. Thread-safe.
 */
public final class HazelcastAclStore implements AclStore {

    /** How stale the copy requests are checked against may be. */
    public static final Duration REFRESH = Duration.ofSeconds(1);

    private static final Logger LOG = Logger.getLogger(HazelcastAclStore.class.getName());
    private static final String NAME = "meridian-acl";
    private static final ExecutorService LOOKUPS = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "meridian-acl-lookup");
        thread.setDaemon(true);
        return thread;
    });

    private final CPSubsystem cp;
    /** The proxy, once looked up; the look-up, while one runs. */
    private volatile IAtomicReference<AclState> state;
    private volatile CompletableFuture<IAtomicReference<AclState>> lookup;
    private final Optional<String> bootstrapHash;
    private final Duration timeout;
    private volatile Copy copy = new Copy(AclState.EMPTY, Long.MIN_VALUE / 2);

    /**
     * @param bootstrapSecret the management token from configuration, if any
     * @param timeout         how long a write or a refresh waits for the CP group
     */
    public HazelcastAclStore(CPSubsystem cp, Optional<String> bootstrapSecret, Duration timeout) {
        this.cp = cp;
        this.bootstrapHash = bootstrapSecret.filter(secret -> !secret.isBlank()).map(Secrets::hash);
        this.timeout = timeout;
    }

    @Override
    public void putPolicy(AclPolicy policy) {
        if (policy.name().isBlank() || policy.rules().isEmpty()) {
            throw new IllegalArgumentException("a policy needs a Name and at least one rule");
        }
        commit(new PutPolicy(policy));
    }

    @Override
    public CreatedToken createToken(String description, List<String> policies) {
        Map<String, AclPolicy> known = current().policies();
        List<String> unknown = policies.stream().filter(name -> !known.containsKey(name)).toList();
        if (!unknown.isEmpty() || policies.isEmpty()) {
            throw new IllegalArgumentException(policies.isEmpty() ? "a token needs at least one policy"
                    : "no such policy: " + String.join(", ", unknown));
        }
        String secret = UUID.randomUUID().toString();
        AclToken token = new AclToken(UUID.randomUUID().toString(), Secrets.hash(secret), description, policies,
                false);
        commit(new PutToken(token));
        return new CreatedToken(token, secret);
    }

    @Override
    public boolean deleteToken(String accessorId) {
        AclState before = commit(new DeleteToken(accessorId));
        return before.tokens().values().stream().anyMatch(token -> token.accessorId().equals(accessorId));
    }

    @Override
    public Optional<Permissions> resolve(String secret) {
        String hash = Secrets.hash(secret);
        if (bootstrapHash.isPresent() && MessageDigest.isEqual(bootstrapHash.get().getBytes(StandardCharsets.UTF_8),
                hash.getBytes(StandardCharsets.UTF_8))) {
            return Optional.of(Permissions.ALL);
        }
        AclState now = current();
        AclToken token = now.tokens().get(hash);
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
        Copy held = copy;
        long now = System.nanoTime();
        if (now - held.readAtNanos() < REFRESH.toNanos()) {
            return held.state();
        }
        try {
            long deadline = System.nanoTime() + timeout.toNanos();
            AclState read = state(deadline).getAsync().toCompletableFuture()
                    .get(remaining(deadline), TimeUnit.NANOSECONDS);
            AclState fresh = AclState.orEmpty(read);
            copy = new Copy(fresh, now);
            return fresh;
        } catch (ExecutionException | TimeoutException e) {
            forgetDestroyedGroup(e);
            LOG.log(Level.WARNING, "could not refresh the ACLs; using the copy read before", e);
            return held.state();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return held.state();
        }
    }

    /**
     * The policies and tokens as this node last read them: the committed state if the CP group answers now, else the
     * copy read before. What a recovery after losing the CP majority puts back with {@link #restore}.
     */
    public AclBackup backup() {
        copy = new Copy(copy.state(), Long.MIN_VALUE / 2);
        return new AclBackup(current());
    }

    /** Replaces the committed policies and tokens with the backup's, in one commit. */
    public void restore(AclBackup backup) {
        commit(new ReplaceState(backup.state()));
    }

    /**
     * After the CP Subsystem was reset, the proxy points at a group that no longer exists: look it up again, so the
     * next call reaches the new group.
     */
    private void forgetDestroyedGroup(Exception failure) {
        if (failure.getCause() instanceof CPGroupDestroyedException) {
            state = null;
        }
    }

    /**
     * The proxy, looked up once. Looking it up waits for the CP Metadata group, without bound while that has no
     * leader, so it runs on a thread of its own (one at a time) and the caller waits until its deadline only: a node
     * starts, and requests answer, while the CP Subsystem has no majority.
     */
    private IAtomicReference<AclState> state(long deadline)
            throws ExecutionException, TimeoutException, InterruptedException {
        IAtomicReference<AclState> held = state;
        if (held != null) {
            return held;
        }
        CompletableFuture<IAtomicReference<AclState>> running = lookup;
        if (running == null || running.isCompletedExceptionally()) {
            running = CompletableFuture.supplyAsync(() -> cp.<AclState>getAtomicReference(NAME), LOOKUPS);
            lookup = running;
        }
        IAtomicReference<AclState> found = running.get(remaining(deadline), TimeUnit.NANOSECONDS);
        state = found;
        lookup = null;
        return found;
    }

    private static long remaining(long deadline) {
        return Math.max(0, deadline - System.nanoTime());
    }

    /** Commits the change; returns the state it was applied to, and keeps the result as this node's copy. */
    private AclState commit(IFunction<AclState, AclState> change) {
        try {
            return commitOnce(change);
        } catch (RegistryUnavailableException e) {
            if (!(e.getCause() != null && e.getCause().getCause() instanceof CPGroupDestroyedException)) {
                throw e;
            }
            return commitOnce(change);
        }
    }

    private AclState commitOnce(IFunction<AclState, AclState> change) {
        try {
            long deadline = System.nanoTime() + timeout.toNanos();
            AclState before = AclState.orEmpty(state(deadline).getAndAlterAsync(change).toCompletableFuture()
                    .get(remaining(deadline), TimeUnit.NANOSECONDS));
            copy = new Copy(change.apply(before), System.nanoTime());
            return before;
        } catch (ExecutionException | TimeoutException e) {
            forgetDestroyedGroup(e);
            throw new RegistryUnavailableException("no Raft majority committed the ACL change within "
                    + timeout.toMillis() + " ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryUnavailableException("interrupted while committing an ACL change", e);
        }
    }

    private record Copy(AclState state, long readAtNanos) {
    }

    /** Policies by name and tokens by the hash of their secret. */
    record AclState(Map<String, AclPolicy> policies, Map<String, AclToken> tokens) implements Serializable {
        static final AclState EMPTY = new AclState(Map.of(), Map.of());

        /** The state a reference holds, which is null before the first change. */
        static AclState orEmpty(AclState held) {
            return held == null ? EMPTY : held;
        }
    }

    private record ReplaceState(AclState replacement) implements IFunction<AclState, AclState> {
        @Override
        public AclState apply(AclState current) {
            return replacement;
        }
    }

    private record PutPolicy(AclPolicy policy) implements IFunction<AclState, AclState> {
        @Override
        public AclState apply(AclState current) {
            AclState base = AclState.orEmpty(current);
            Map<String, AclPolicy> policies = new HashMap<>(base.policies());
            policies.put(policy.name(), policy);
            return new AclState(policies, base.tokens());
        }
    }

    private record PutToken(AclToken token) implements IFunction<AclState, AclState> {
        @Override
        public AclState apply(AclState current) {
            AclState base = AclState.orEmpty(current);
            Map<String, AclToken> tokens = new HashMap<>(base.tokens());
            tokens.put(token.secretHash(), token);
            return new AclState(base.policies(), tokens);
        }
    }

    private record DeleteToken(String accessorId) implements IFunction<AclState, AclState> {
        @Override
        public AclState apply(AclState current) {
            AclState base = AclState.orEmpty(current);
            Map<String, AclToken> tokens = new HashMap<>(base.tokens());
            tokens.values().removeIf(token -> token.accessorId().equals(accessorId));
            return new AclState(base.policies(), tokens);
        }
    }
}
