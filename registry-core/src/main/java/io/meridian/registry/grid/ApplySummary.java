package io.meridian.registry.grid;

import java.util.Map;

/**
 * Puts a slice's summary into the service's header if it is newer, moving the service's index forward. Its backups
 * take the header it made ({@link MadeOnOwner}).
 */
final class ApplySummary extends MadeOnOwner<ServiceHeader, Long> {

    private final int bucket;
    private final BucketSummary summary;
    private final long changeIndex;

    ApplySummary(int bucket, BucketSummary summary, long changeIndex) {
        this.bucket = bucket;
        this.summary = summary;
        this.changeIndex = changeIndex;
    }

    int bucket() {
        return bucket;
    }

    BucketSummary summary() {
        return summary;
    }

    long changeIndex() {
        return changeIndex;
    }

    @Override
    protected Long apply(Map.Entry<String, ServiceHeader> entry) {
        ServiceHeader header = entry.getValue() == null ? new ServiceHeader(1, Map.of()) : entry.getValue();
        ServiceHeader updated = header.with(bucket, summary, changeIndex);
        if (updated != header) {
            set(entry, updated);
        }
        return updated.index();
    }
}
