package io.meridian.registry.grid;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryEvictedListener;
import com.hazelcast.map.listener.EntryExpiredListener;
import com.hazelcast.map.listener.EntryRemovedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import io.meridian.registry.RegistrationAdmission;
import io.meridian.registry.RegistryFullException;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Which members of the cluster refuse registrations for lack of heap, as each reports itself: every member holds a
 * copy of every registration, so one that is full must refuse them for all, whichever node or SDK client takes them.
 * Each process keeps the reports it heard of (an entry listener on {@link GridNames#FULL_MEMBERS_MAP}), so asking
 * costs no round trip while no member is full; a report is heard within milliseconds, and a refusal is confirmed with
 * the map first. An entry event can be lost (a client between connections, or not yet listening on a member that just
 * joined), so the reports of the cluster's members are also read again every {@link #REREAD}, which finds a
 * report whose event never came. A member that left the cluster no longer counts, even if it left its report behind.
 * Thread-safe; {@link #close()} stops listening.
 */
public final class FullMembers implements RegistrationAdmission, AutoCloseable {

    /** How often the members' reports are read again, for any whose event was lost. */
    static final Duration REREAD = Duration.ofSeconds(2);
    private static final Logger LOG = Logger.getLogger(FullMembers.class.getName());

    private final HazelcastInstance hazelcast;
    private final IMap<String, String> reports;
    /** A full member's UUID to why it is full, as heard. */
    private final ConcurrentMap<String, String> heard = new ConcurrentHashMap<>();
    private final UUID listener;
    private final ScheduledExecutorService rereads = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "meridian-full-members");
        thread.setDaemon(true);
        return thread;
    });

    public FullMembers(HazelcastInstance hazelcast) {
        this.hazelcast = hazelcast;
        this.reports = hazelcast.getMap(GridNames.FULL_MEMBERS_MAP);
        this.listener = reports.addEntryListener(new Heard(), true);
        reports.forEach(heard::putIfAbsent);
        rereads.scheduleWithFixedDelay(this::reread, REREAD.toMillis(), REREAD.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Reads each member's report again and keeps any this process had not heard of. Only adds: a report withdrawn is
     * dropped when {@link #requireRoom} confirms it, so a read that crosses a new report's event cannot hide it.
     */
    private void reread() {
        try {
            for (Member member : hazelcast.getCluster().getMembers()) {
                String id = member.getUuid().toString();
                reports.getAsync(id).thenAccept(why -> {
                    if (why != null) {
                        heard.put(id, why);
                    }
                });
            }
        } catch (RuntimeException e) {
            // The grid is unreachable or shutting down: the next round tries again.
            LOG.log(Level.FINE, "could not read the members' reports again", e);
        }
    }

    /**
     * This member's report: full, and why, or empty once it has room again. Members only.
     *
     * @throws com.hazelcast.core.HazelcastException if the grid cannot take the report
     */
    public void report(Optional<String> fullBecause) {
        String self = hazelcast.getCluster().getLocalMember().getUuid().toString();
        fullBecause.ifPresentOrElse(why -> reports.set(self, why), () -> reports.delete(self));
    }

    /** @throws RegistryFullException if a member of the cluster reported itself full */
    @Override
    public void requireRoom() {
        if (heard.isEmpty()) {
            return;
        }
        for (Member member : hazelcast.getCluster().getMembers()) {
            String id = member.getUuid().toString();
            if (heard.containsKey(id)) {
                // Confirmed where it is kept: a report read as this process started listening may be one the
                // member withdrew meanwhile, whose removal event came first, and a cleared map sends no removals.
                String why = reports.get(id);
                if (why == null) {
                    heard.remove(id);
                    continue;
                }
                throw RegistryFullException.heapFull("member " + member.getAddress(), why);
            }
        }
    }

    /**
     * Forgets a member's report on hearing it removed, then reads the map again: while the report's partition
     * migrates, its removal comes from the old owner and a new report from the new one, over two connections, so the
     * removal may arrive after the report that followed it and would hide it until the member reported once more.
     */
    void forget(String member) {
        heard.remove(member);
        reports.getAsync(member).thenAccept(why -> {
            if (why != null) {
                heard.put(member, why);
            }
        });
    }

    @Override
    public void close() {
        rereads.shutdownNow();
        if (hazelcast.getLifecycleService().isRunning()) {
            reports.removeEntryListener(listener);
        }
    }

    /** Keeps {@link #heard} as the map's entries change. */
    private final class Heard implements EntryAddedListener<String, String>, EntryUpdatedListener<String, String>,
            EntryRemovedListener<String, String>, EntryExpiredListener<String, String>,
            EntryEvictedListener<String, String> {

        @Override
        public void entryAdded(EntryEvent<String, String> event) {
            heard.put(event.getKey(), event.getValue());
        }

        @Override
        public void entryUpdated(EntryEvent<String, String> event) {
            heard.put(event.getKey(), event.getValue());
        }

        @Override
        public void entryRemoved(EntryEvent<String, String> event) {
            forget(event.getKey());
        }

        @Override
        public void entryExpired(EntryEvent<String, String> event) {
            forget(event.getKey());
        }

        @Override
        public void entryEvicted(EntryEvent<String, String> event) {
            forget(event.getKey());
        }
    }
}
