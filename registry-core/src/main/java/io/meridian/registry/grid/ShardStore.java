package io.meridian.registry.grid;

import com.hazelcast.core.HazelcastException;
import com.hazelcast.core.IFunction;
import com.hazelcast.cp.CPSubsystem;
import com.hazelcast.cp.IAtomicReference;
import io.meridian.registry.RegistryUnavailableException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.BiConsumer;

/**
 * The committed state: a fixed number of CP {@code IAtomicReference} shards, each written by one Raft commit of a
 * small function. Proxies are cached, since looking one up costs a round trip. Thread-safe.
 */
final class ShardStore {

    private static final int SCAN_WINDOW = 256;

    private final CPSubsystem cp;
    private final AtomicReferenceArray<IAtomicReference<Shard>> shards;
    private final Duration timeout;

    ShardStore(CPSubsystem cp, int shardCount, Duration timeout) {
        this.cp = cp;
        this.shards = new AtomicReferenceArray<>(shardCount);
        this.timeout = timeout;
    }

    int shardCount() {
        return shards.length();
    }

    /** The shard an instance id lives in, within its namespace. */
    int shardOf(String namespace, String instanceId) {
        int hash = (namespace + '/' + instanceId).hashCode();
        return Math.floorMod(hash ^ (hash >>> 16), shards.length());
    }

    /** Commits the function to the shard and returns the new value. */
    Shard write(int shardId, IFunction<Shard, Shard> change) {
        return await(shard(shardId).alterAndGetAsync(change).toCompletableFuture(), "commit a write");
    }

    /** A linearizable read of one shard. */
    Shard read(int shardId) {
        Shard shard = await(shard(shardId).getAsync().toCompletableFuture(), "read a shard");
        return shard == null ? Shard.EMPTY : shard;
    }

    /** Reads every shard that holds anything, a window of them at a time, and hands each to the consumer. */
    void forEach(BiConsumer<Integer, Shard> consumer) {
        for (int start = 0; start < shards.length(); start += SCAN_WINDOW) {
            List<CompletableFuture<Shard>> window = new ArrayList<>(SCAN_WINDOW);
            int end = Math.min(start + SCAN_WINDOW, shards.length());
            for (int id = start; id < end; id++) {
                window.add(shard(id).getAsync().toCompletableFuture());
            }
            for (int id = start; id < end; id++) {
                Shard shard = await(window.get(id - start), "read a shard");
                if (shard != null) {
                    consumer.accept(id, shard);
                }
            }
        }
    }

    private IAtomicReference<Shard> shard(int shardId) {
        IAtomicReference<Shard> shard = shards.get(shardId);
        if (shard == null) {
            shard = cp.getAtomicReference(GridNames.SHARD_PREFIX + shardId);
            shards.compareAndSet(shardId, null, shard);
        }
        return shard;
    }

    private <T> T await(CompletableFuture<T> future, String what) {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new RegistryUnavailableException("no Raft majority answered within " + timeout.toMillis()
                    + " ms to " + what + ": the cluster has lost its CP majority or is electing a leader", e);
        } catch (ExecutionException e) {
            throw new RegistryUnavailableException("the CP Subsystem failed to " + what + ": " + e.getCause(),
                    e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryUnavailableException("interrupted while waiting to " + what, e);
        } catch (HazelcastException e) {
            throw new RegistryUnavailableException("the CP Subsystem failed to " + what + ": " + e, e);
        }
    }
}
