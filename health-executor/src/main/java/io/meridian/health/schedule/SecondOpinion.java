package io.meridian.health.schedule;

import io.meridian.health.check.WatchedCheck;

import java.util.concurrent.CompletableFuture;

/** Another member's run of a probe, asked for while the safety valve is open. Implementations are thread-safe. */
interface SecondOpinion {

    /** What another member makes of the check; never fails. */
    CompletableFuture<Opinion> ask(WatchedCheck watched);

    /**
     * @param confirms whether the failure is to be written: the other member sees it fail too, or there is no other
     *                 member to ask
     * @param said     what the other member saw, for the output of a held failure
     */
    record Opinion(boolean confirms, String said) {
    }
}
