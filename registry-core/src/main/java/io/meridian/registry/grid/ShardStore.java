package io.meridian.registry.grid;

import com.hazelcast.core.IFunction;
import com.hazelcast.cp.CPSubsystem;
import com.hazelcast.cp.IAtomicReference;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.BiConsumer;

/**
 * The committed state: a fixed number of CP {@code IAtomicReference} shards, each written by one Raft commit of a
 * small function. Proxies are cached, since looking one up costs a round trip to the CP metadata group; that look-up
 * blocks without bound while the metadata group has no leader, so it runs on a thread of its own and every operation
 * is bounded by the timeout as a whole. After the CP Subsystem was reset (the recovery from a lost majority), the
 * cached proxies point at a group that no longer exists: the first call that finds so forgets them all, and writes and
 * reads try once more on fresh ones (a write is idempotent). A write passes the {@link RestoreGate} first: while a
 * cold start restores, only the restore's own merges are written. Thread-safe; {@link #close()} stops the look-up
 * threads.
 */
final class ShardStore implements AutoCloseable {

    private static final int SCAN_WINDOW = 64;
    private static final int LOOKUP_THREADS = 4;

    private final CPSubsystem cp;
    private final AtomicReferenceArray<IAtomicReference<Shard>> shards;
    private final CpWait waits;
    private final String layout;
    private final CpReference<String> recordedLayout;
    private final RestoreGate gate;
    private volatile boolean layoutAgreed;
    private final ExecutorService lookups = Executors.newFixedThreadPool(LOOKUP_THREADS, runnable -> {
        Thread thread = new Thread(runnable, "meridian-shard-lookup");
        thread.setDaemon(true);
        return thread;
    });

    /**
     * @param layout how instances are laid out ({@code shards=4096,slices=256}); every member and client of a cluster
     *               must write with the same one, or an instance would land in two places
     */
    ShardStore(CPSubsystem cp, int shardCount, Duration timeout, String layout) {
        this.cp = cp;
        this.shards = new AtomicReferenceArray<>(shardCount);
        this.waits = new CpWait(timeout, this::forgetProxies);
        this.layout = layout;
        this.recordedLayout = new CpReference<>(cp, GridNames.LAYOUT, timeout);
        this.gate = new RestoreGate(cp, timeout);
    }

    /** The deadline of an operation starting now, one timeout away, in {@link System#nanoTime()} terms. */
    long deadline() {
        return waits.deadline();
    }

    RestoreGate gate() {
        return gate;
    }

    int shardCount() {
        return shards.length();
    }

    /** The shard an instance id lives in, within its namespace. */
    int shardOf(String namespace, String instanceId) {
        int hash = (namespace + '/' + instanceId).hashCode();
        return Math.floorMod(hash ^ (hash >>> 16), shards.length());
    }

    /**
     * Commits the function to the shard and returns the new value.
     *
     * @throws IllegalStateException if the cluster was written with another layout
     * @throws io.meridian.registry.RegistryUnavailableException while a cold start restores, or without a CP majority
     */
    Shard write(int shardId, IFunction<Shard, Shard> change) {
        return CpWait.onceMoreIfDestroyed(() -> {
            requireLayout();
            gate.requireOpen();
            return commit(shardId, change);
        });
    }

    /**
     * As {@link #write}, returning the shard as it was before the change: the caller applies the change to it to
     * learn the new value (changes are pure functions of the shard), at no extra round trip.
     */
    Shard writeSeeingBefore(int shardId, IFunction<Shard, Shard> change) {
        return CpWait.onceMoreIfDestroyed(() -> {
            requireLayout();
            gate.requireOpen();
            long deadline = waits.deadline();
            IAtomicReference<Shard> shard = waits.await(shard(shardId), "find a shard", deadline);
            Shard before = waits.await(shard.getAndAlterAsync(change), "commit a write", deadline);
            return before == null ? Shard.EMPTY : before;
        });
    }

    /** As {@link #write}, but while the gate is closed too: for the cold start's merges. */
    Shard writeWhileRestoring(int shardId, IFunction<Shard, Shard> change) {
        return CpWait.onceMoreIfDestroyed(() -> {
            requireLayout();
            return commit(shardId, change);
        });
    }

    private Shard commit(int shardId, IFunction<Shard, Shard> change) {
        long deadline = waits.deadline();
        IAtomicReference<Shard> shard = waits.await(shard(shardId), "find a shard", deadline);
        return waits.await(shard.alterAndGetAsync(change), "commit a write", deadline);
    }

    /** A linearizable read of one shard. */
    Shard read(int shardId) {
        return CpWait.onceMoreIfDestroyed(() -> readOnce(shardId));
    }

    private Shard readOnce(int shardId) {
        long deadline = waits.deadline();
        IAtomicReference<Shard> reference = waits.await(shard(shardId), "find a shard", deadline);
        Shard shard = waits.await(reference.getAsync(), "read a shard", deadline);
        return shard == null ? Shard.EMPTY : shard;
    }

    /**
     * Runs a read-only query on every shard that has been written, a window of shards at a time, and hands each
     * non-null answer to the consumer. A query returns only what the caller needs, so little crosses the network.
     */
    <R> void forEach(IFunction<Shard, R> query, BiConsumer<Integer, R> consumer) {
        forEach(query, consumer, Long.MAX_VALUE);
    }

    /**
     * As {@link #forEach(IFunction, BiConsumer)}, but the whole scan ends by {@code scanDeadline} (a
     * {@link System#nanoTime()} value, as {@link #deadline()} gives), for a read a client waits on.
     */
    <R> void forEach(IFunction<Shard, R> query, BiConsumer<Integer, R> consumer, long scanDeadline) {
        for (int start = 0; start < shards.length(); start += SCAN_WINDOW) {
            long deadline = Math.min(waits.deadline(), scanDeadline);
            int end = Math.min(start + SCAN_WINDOW, shards.length());
            List<CompletableFuture<IAtomicReference<Shard>>> lookedUp = new ArrayList<>(SCAN_WINDOW);
            for (int id = start; id < end; id++) {
                lookedUp.add(shard(id));
            }
            List<CompletionStage<R>> window = new ArrayList<>(SCAN_WINDOW);
            for (CompletableFuture<IAtomicReference<Shard>> shard : lookedUp) {
                window.add(waits.await(shard, "find a shard", deadline).applyAsync(query));
            }
            for (int id = start; id < end; id++) {
                R answer = waits.await(window.get(id - start), "query a shard", deadline);
                if (answer != null) {
                    consumer.accept(id, answer);
                }
            }
        }
    }

    /**
     * Before this store's first write: records its layout in the cluster if none is recorded yet, else checks that
     * it is the recorded one.
     */
    private void requireLayout() {
        if (layoutAgreed) {
            return;
        }
        boolean first = recordedLayout.compareAndSet(null, layout);
        String agreed = first ? layout : recordedLayout.get();
        if (!layout.equals(agreed)) {
            throw new IllegalStateException("this cluster's registry is laid out as " + agreed + " but this node or"
                    + " client is configured with " + layout + ": every member and client must use the same shard"
                    + " count and slices per service");
        }
        layoutAgreed = true;
    }

    /**
     * Forgets every cached proxy, the agreed layout and the gate seen open, so that the next call looks them up again:
     * after the CP group was found destroyed, or after a client reconnected to what may be a restarted cluster (whose
     * CP groups are new, and which old proxies wait on until they time out).
     */
    void forgetProxies() {
        for (int id = 0; id < shards.length(); id++) {
            shards.set(id, null);
        }
        layoutAgreed = false;
        recordedLayout.forget();
        gate.forget();
    }

    private CompletableFuture<IAtomicReference<Shard>> shard(int shardId) {
        IAtomicReference<Shard> cached = shards.get(shardId);
        if (cached != null) {
            return CompletableFuture.completedFuture(cached);
        }
        return CompletableFuture.supplyAsync(() -> {
            IAtomicReference<Shard> shard = cp.getAtomicReference(GridNames.SHARD_PREFIX + shardId);
            shards.compareAndSet(shardId, null, shard);
            return shard;
        }, lookups);
    }

    @Override
    public void close() {
        lookups.shutdownNow();
    }
}
