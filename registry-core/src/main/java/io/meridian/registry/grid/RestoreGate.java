package io.meridian.registry.grid;

import com.hazelcast.core.HazelcastException;
import com.hazelcast.cp.CPSubsystem;
import io.meridian.registry.RegistryUnavailableException;

import java.time.Duration;
import java.util.Optional;

/**
 * Whether the cluster takes writes. A cluster whose CP Subsystem starts empty (new, or after every member stopped)
 * takes none until enough members have merged their disks into the committed state ({@link #markMerged}); until
 * then a write fails as unavailable and reads answer from the projection as it is restored. Once a node has seen the
 * gate open it does not ask again, until the CP group it asked is found destroyed or its client reconnects
 * ({@link #forget()}). Thread-safe.
 */
public final class RestoreGate {

    static final String NAME = "meridian-restore";

    private final CpReference<RestoreProgress> progress;
    private volatile boolean seenOpen;

    public RestoreGate(CPSubsystem cp, Duration timeout) {
        this.progress = new CpReference<>(cp, NAME, timeout);
    }

    /** @throws RegistryUnavailableException while a cold start restores, or if the CP Subsystem does not answer */
    public void requireOpen() {
        if (seenOpen) {
            return;
        }
        RestoreProgress now = progress.get();
        if (now == null || !now.open()) {
            throw new RegistryUnavailableException("the cluster is restoring its registry from its members' disks"
                    + (now == null ? "" : " (" + now.withData().size() + " of the " + now.quorum() + " disks with data"
                    + " a majority needs have merged, " + now.merged().size() + " members of " + now.expected()
                    + " in all)") + "; writes resume once a majority of members has merged", null);
        }
        seenOpen = true;
    }

    /**
     * Whether the cluster takes writes: true once seen open (without asking again), false while a cold start restores
     * or when the CP Subsystem cannot tell within the timeout (no majority, or the client is offline).
     */
    public boolean isOpen() {
        try {
            requireOpen();
            return true;
        } catch (RegistryUnavailableException | HazelcastException unavailable) {
            return false;
        }
    }

    /** The cold start's progress; empty before any node has merged. */
    public Optional<RestoreProgress> progress() {
        return Optional.ofNullable(progress.get());
    }

    /**
     * Records that this node has merged its disk, and whether it held anything; see {@link MarkMerged} for when that
     * opens writes.
     *
     * @param quorum   a majority of the largest cluster this node's disk recorded, or of the CP group
     * @param expected how many members the cluster has at least
     */
    public RestoreProgress markMerged(String node, boolean hadData, int quorum, int expected) {
        return progress.alterAndGet(new MarkMerged(node, hadData, quorum, expected));
    }

    /** Opens writes now, whatever the progress. */
    public void open() {
        progress.alterAndGet(new OpenWrites());
    }

    /** Forgets that the gate was seen open, and the proxy it was seen through: the next write asks again. */
    public void forget() {
        seenOpen = false;
        progress.forget();
    }
}
