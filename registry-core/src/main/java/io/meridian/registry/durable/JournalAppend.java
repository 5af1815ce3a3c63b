package io.meridian.registry.durable;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * The task that puts batches of durable state, already encoded by the writer, on one member's disk: it answers once
 * they are forced, true if the member keeps a journal and false if it keeps none (its data directory is
 * {@code none}).
 */
final class JournalAppend implements Callable<Boolean>, Serializable, HazelcastInstanceAware {

    private final ArrayList<byte[]> batches;
    private transient HazelcastInstance member;

    JournalAppend(List<byte[]> batches) {
        this.batches = new ArrayList<>(batches);
    }

    @Override
    public void setHazelcastInstance(HazelcastInstance hazelcastInstance) {
        this.member = hazelcastInstance;
    }

    @Override
    public Boolean call() throws Exception {
        if (!(member.getUserContext().get(DiskJournal.USER_CONTEXT_KEY) instanceof DiskJournal journal)) {
            return false;
        }
        journal.appendEncoded(batches).get();
        return true;
    }
}
