package io.meridian.registry.grid;

/**
 * A task sent to members that is run there by a handler the member provides, which {@link MemberTasks} hands it on
 * arrival.
 *
 * @param <H> the type of the handler
 */
public interface MemberTask<H> {

    /** The type of handler this task needs. */
    Class<H> handlerType();

    /** Called on arrival, before the task runs, with the member's handler, or {@code null} if it provides none. */
    void handleWith(H handler);
}
