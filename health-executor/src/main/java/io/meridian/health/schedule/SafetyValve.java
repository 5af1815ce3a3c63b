package io.meridian.health.schedule;

import java.util.HashMap;
import java.util.Map;

/**
 * Decides when failures are more likely the checker's fault than the instances': when more than a share (50% by
 * default) of the checks this member runs fail, or of the checks of one service it runs. While the valve is open for
 * a service, a check that would turn worse needs a second opinion from another member first. Counts only the latest
 * result of each check, so it reflects one round. While this member has fewer results than it takes to judge (just
 * started, or just given new partitions), it is cautious and stays open. Keeps running counts, so every question costs
 * the same however many checks the member runs. Thread-safe.
 */
final class SafetyValve {

    /** Below these counts a share means little, and the valve stays shut. */
    static final int MIN_MEMBER_CHECKS = 10;
    static final int MIN_SERVICE_CHECKS = 4;

    private record Latest(String serviceKey, boolean failing) {
    }

    /** Checks and failing checks among the latest results of a group of checks. */
    private static final class Tally {
        private int checks;
        private int failing;

        void add(boolean isFailing, int sign) {
            checks += sign;
            failing += isFailing ? sign : 0;
        }

        boolean mostlyFailing(double share) {
            return failing > share * checks;
        }
    }

    private final double share;
    private final Map<String, Latest> latest = new HashMap<>();
    private final Tally member = new Tally();
    private final Map<String, Tally> byService = new HashMap<>();

    SafetyValve(double share) {
        this.share = share;
    }

    /** Notes the latest result of a check; a result like the one before, the common case, changes nothing. */
    synchronized void record(String checkKey, String serviceKey, boolean failing) {
        Latest previous = latest.get(checkKey);
        if (previous != null && previous.failing() == failing && previous.serviceKey().equals(serviceKey)) {
            return;
        }
        Latest now = new Latest(serviceKey, failing);
        latest.put(checkKey, now);
        count(previous, -1);
        count(now, 1);
    }

    /** Forgets a check this member no longer runs. */
    synchronized void forget(String checkKey) {
        count(latest.remove(checkKey), -1);
    }

    private void count(Latest result, int sign) {
        if (result == null) {
            return;
        }
        member.add(result.failing(), sign);
        Tally service = byService.computeIfAbsent(result.serviceKey(), key -> new Tally());
        service.add(result.failing(), sign);
        if (service.checks == 0) {
            byService.remove(result.serviceKey());
        }
    }

    /** Whether failures of this service's checks need a second opinion now. */
    synchronized boolean isOpen(String serviceKey) {
        Tally service = byService.get(serviceKey);
        return member.checks < MIN_MEMBER_CHECKS || member.mostlyFailing(share)
                || (service != null && service.checks >= MIN_SERVICE_CHECKS && service.mostlyFailing(share));
    }

    /** Whether the valve is open for the member as a whole, for metrics and logs. */
    synchronized boolean isOpenForMember() {
        return member.checks >= MIN_MEMBER_CHECKS && member.mostlyFailing(share);
    }
}
