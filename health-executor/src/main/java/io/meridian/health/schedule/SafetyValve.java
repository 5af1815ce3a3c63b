package io.meridian.health.schedule;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decides when failures are more likely the checker's fault than the instances': when more than a share (50% by
 * default) of the checks this member runs fail, or of the checks of one service it runs. While the valve is open for
 * a service, a check that would turn worse needs a second opinion from another member first. Counts only the latest
 * result of each check, so it reflects one round. While this member has fewer results than it takes to judge (just
 * started, or just given new partitions), it is cautious and stays open. Thread-safe.
 */
final class SafetyValve {

    /** Below these counts a share means little, and the valve stays shut. */
    static final int MIN_MEMBER_CHECKS = 10;
    static final int MIN_SERVICE_CHECKS = 4;

    private record Latest(String serviceKey, boolean failing) {
    }

    private final double share;
    private final Map<String, Latest> latest = new ConcurrentHashMap<>();

    SafetyValve(double share) {
        this.share = share;
    }

    /** Notes the latest result of a check. */
    void record(String checkKey, String serviceKey, boolean failing) {
        latest.put(checkKey, new Latest(serviceKey, failing));
    }

    /** Forgets a check this member no longer runs. */
    void forget(String checkKey) {
        latest.remove(checkKey);
    }

    /** Whether failures of this service's checks need a second opinion now. */
    boolean isOpen(String serviceKey) {
        int all = 0;
        int failing = 0;
        int ofService = 0;
        int failingOfService = 0;
        for (Latest result : latest.values()) {
            all++;
            failing += result.failing() ? 1 : 0;
            if (result.serviceKey().equals(serviceKey)) {
                ofService++;
                failingOfService += result.failing() ? 1 : 0;
            }
        }
        return all < MIN_MEMBER_CHECKS || failing > share * all
                || (ofService >= MIN_SERVICE_CHECKS && failingOfService > share * ofService);
    }

    /** Whether the valve is open for the member as a whole, for metrics and logs. */
    boolean isOpenForMember() {
        long failing = latest.values().stream().filter(Latest::failing).count();
        return latest.size() >= MIN_MEMBER_CHECKS && failing > share * latest.size();
    }
}
