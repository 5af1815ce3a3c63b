package io.meridian.node;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Ends the process when Hazelcast stops the serving node's member underneath it, as its out-of-memory handler does:
 * a node without its member answers nothing but 503s and would do so until someone noticed, where exiting with status
 * 1 lets the supervisor (systemd's {@code Restart=on-failure}, a pod's restart policy) start it afresh. Looks every
 * {@code period} on a daemon thread of its own; once the process began stopping by its own choice, a stopped member is
 * no loss. Thread-safe.
 */
final class MemberWatchdog {

    /** How often a node's process looks at its member. */
    static final Duration PERIOD = Duration.ofSeconds(1);
    static final int EXIT_STATUS = 1;

    private final BooleanSupplier memberRunning;
    private final Exit exit;
    private volatile boolean stopping;

    /** What ends the process: {@link System#exit} outside tests. */
    interface Exit {
        void exit(int status);
    }

    /**
     * @param memberRunning whether the member runs: its {@code LifecycleService.isRunning()}
     * @param exit          told once, with {@link #EXIT_STATUS}, when the member stopped while the process was not
     *                      stopping
     */
    MemberWatchdog(BooleanSupplier memberRunning, Exit exit) {
        this.memberRunning = memberRunning;
        this.exit = exit;
    }

    /** Starts looking every {@code period}. */
    MemberWatchdog start(Duration period) {
        Thread thread = new Thread(() -> watch(period), "meridian-member-watchdog");
        thread.setDaemon(true);
        thread.start();
        return this;
    }

    /** From now on a stopped member is the process's own doing: the watchdog stops looking. */
    void stopping() {
        stopping = true;
    }

    private void watch(Duration period) {
        try {
            while (look()) {
                Thread.sleep(period.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * One look at the member: ends the process if it stopped while the process was not stopping.
     *
     * @return whether to go on looking: false once the member stopped or the process is stopping
     */
    boolean look() {
        if (stopping) {
            return false;
        }
        if (memberRunning.getAsBoolean()) {
            return true;
        }
        // Again: the process may have begun stopping, and stopped the member, since the first look at the flag.
        if (!stopping) {
            System.err.println("Meridian: Hazelcast stopped this node's member (its log above says why); exiting with"
                    + " status " + EXIT_STATUS + " so that the supervisor starts it again");
            exit.exit(EXIT_STATUS);
        }
        return false;
    }
}
