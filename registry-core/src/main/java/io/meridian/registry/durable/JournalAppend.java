package io.meridian.registry.durable;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;

import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The task that puts a batch of durable state on one member's disk: it answers once the batch is forced, true if the
 * member keeps a journal and false if it keeps none (its data directory is {@code none}).
 */
final class JournalAppend implements Callable<Boolean>, Serializable, HazelcastInstanceAware {

    private final HashMap<String, VersionedValue> batch;
    private transient HazelcastInstance member;

    JournalAppend(Map<String, VersionedValue> batch) {
        this.batch = new HashMap<>(batch);
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
        journal.append(batch).get();
        return true;
    }
}
