package io.meridian.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import io.javalin.http.TooManyRequestsResponse;
import io.javalin.http.sse.SseClient;
import io.javalin.http.sse.SseHandler;
import io.meridian.acl.Access;
import io.meridian.acl.Permissions;
import io.meridian.http.wire.ChangeEventShapes;
import io.meridian.registry.ChangeEvent;
import io.meridian.registry.ChangeEvents;
import io.meridian.registry.ChangesExpiredException;
import io.meridian.registry.PositionedChange;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * {@code GET /v1/events/stream}: the change-event stream, from {@code ?from=<position>} (by default, from the next
 * event). With {@code Accept: text/event-stream} it is a stream of server-sent events ({@code id} the position,
 * {@code event} the type, {@code data} the JSON of {@link ChangeEventShapes}; {@code Last-Event-ID} resumes after
 * that position; a comment every {@link #HEARTBEAT} while nothing happens). Otherwise it is a long poll: at most
 * {@code ?max=} events (100 by default, at most 1,000) as {@code {"Events": [...], "NextPosition": n}}, waiting up
 * to {@code ?wait=} for the first. Either way a consumer gets the events of the request's namespace that its token may
 * read, and resumes from the last position it handled plus one; an event may come twice, never not at all while it
 * is kept. A position older than the oldest kept, or past the end of a stream that started again, gets 410 (or an
 * {@code expired} event) with {@code SnapshotPosition}: read the current state, then resume there. At most
 * {@link #MAX_STREAMS} streams are open at once on a node; past them, 429.
 */
final class ChangeStreamEndpoints implements AutoCloseable {

    static final int MAX_STREAMS = 1_024;
    static final Duration HEARTBEAT = Duration.ofSeconds(15);
    private static final int DEFAULT_BATCH = 100;
    private static final int MAX_BATCH = 1_000;

    private final ChangeEvents changes;
    private final ChangeEventShapes shapes;
    private final ObjectMapper mapper;
    private final BlockingQuery blocking;
    private final ApiSettings settings;
    private final Acl acl;
    private final Semaphore streams = new Semaphore(MAX_STREAMS);
    /** Writes to the streams: a slow consumer holds one of these while its socket is full, not a responder. */
    private final ExecutorService writers = Executors.newFixedThreadPool(4, runnable -> {
        Thread thread = new Thread(runnable, "meridian-event-stream");
        thread.setDaemon(true);
        return thread;
    });
    private final SseHandler sse = new SseHandler(0, this::stream);

    ChangeStreamEndpoints(ChangeEvents changes, ChangeEventShapes shapes, ObjectMapper mapper, BlockingQuery blocking,
                          ApiSettings settings, Acl acl) {
        this.changes = changes;
        this.shapes = shapes;
        this.mapper = mapper;
        this.blocking = blocking;
        this.settings = settings;
        this.acl = acl;
    }

    void handle(Context ctx) throws Exception {
        acl.of(ctx);
        String accept = ctx.header("Accept");
        if (accept != null && accept.contains("text/event-stream")) {
            // Read here, where a bad value is still a 400: the stream itself starts after the response has.
            RequestParams.namespace(ctx);
            max(ctx);
            if (!streams.tryAcquire()) {
                throw new TooManyRequestsResponse("this node serves " + MAX_STREAMS + " event streams already");
            }
            sse.handle(ctx);
        } else {
            longPoll(ctx);
        }
    }

    private void longPoll(Context ctx) {
        long from;
        try {
            from = from(ctx, ctx.queryParam("from"));
        } catch (ChangesExpiredException restarted) {
            fail(ctx, restarted);
            return;
        }
        int max = max(ctx);
        Predicate<ChangeEvent> visible = visibleTo(ctx);
        Duration wait = RequestParams.wait(ctx, settings);
        CompletableFuture<List<PositionedChange>> read = changes.readFrom(from, max);
        // The wait bounds waiting for an event, not reading those already there: wait=1ms still gets them.
        CompletableFuture<List<PositionedChange>> answer = from < changes.nextPosition() ? read
                : blocking.park(read, wait, List::of);
        ctx.future(() -> answer.handle((events, failure) -> {
            if (failure != null) {
                fail(ctx, unwrap(failure));
                return null;
            }
            long next = events.isEmpty() ? from : events.get(events.size() - 1).position() + 1;
            Map<String, Object> page = new LinkedHashMap<>();
            page.put("Events", events.stream().filter(change -> visible.test(change.event())).map(shapes::of)
                    .toList());
            page.put("NextPosition", next);
            ctx.json(page);
            return null;
        }));
    }

    private void stream(SseClient client) {
        Context ctx = client.ctx();
        client.onClose(streams::release);
        long from;
        try {
            String lastEventId = ctx.header("Last-Event-ID");
            from = from(ctx, lastEventId != null ? String.valueOf(position("Last-Event-ID", lastEventId) + 1)
                    : ctx.queryParam("from"));
        } catch (BadRequestResponse invalid) {
            client.sendEvent("error", json(Map.of("error", invalid.getMessage())), null);
            client.close();
            return;
        } catch (ChangesExpiredException restarted) {
            client.sendEvent("expired", json(errorBody(restarted)), null);
            client.close();
            return;
        }
        client.keepAlive();
        pump(client, from, max(ctx), visibleTo(ctx));
    }

    /** Sends what comes from {@code position} on, then waits for more, until the consumer goes away. */
    private void pump(SseClient client, long position, int max, Predicate<ChangeEvent> visible) {
        if (client.terminated()) {
            return;
        }
        changes.readFrom(position, max).orTimeout(HEARTBEAT.toMillis(), TimeUnit.MILLISECONDS)
                .whenCompleteAsync((events, failure) -> {
                    Throwable cause = failure == null ? null : unwrap(failure);
                    if (cause instanceof TimeoutException) {
                        client.sendComment("nothing new");
                        pump(client, position, max, visible);
                    } else if (cause != null) {
                        client.sendEvent(cause instanceof ChangesExpiredException ? "expired" : "error",
                                json(errorBody(cause)), null);
                        client.close();
                    } else {
                        for (PositionedChange change : events) {
                            if (visible.test(change.event())) {
                                client.sendEvent(change.event().type().wireName(), json(shapes.of(change)),
                                        String.valueOf(change.position()));
                            }
                        }
                        pump(client, events.get(events.size() - 1).position() + 1, max, visible);
                    }
                }, writers);
    }

    private Predicate<ChangeEvent> visibleTo(Context ctx) {
        String namespace = RequestParams.namespace(ctx);
        Permissions permissions = acl.of(ctx);
        return event -> event.namespace().equals(namespace)
                && permissions.allows(namespace, event.service(), Access.READ);
    }

    /** @throws ChangesExpiredException if the position is past the stream's end: the stream started again */
    private long from(Context ctx, String value) {
        long position = value == null || value.isEmpty() ? changes.nextPosition() : position("from", value);
        long next = changes.nextPosition();
        if (position > next) {
            throw ChangesExpiredException.restarted(position, changes.oldestPosition(), next);
        }
        return position;
    }

    private static long position(String name, String value) {
        try {
            long position = Long.parseLong(value);
            if (position >= 0) {
                return position;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new BadRequestResponse(name + " must be a position, 0 or more, not " + value);
    }

    private static int max(Context ctx) {
        String value = ctx.queryParam("max");
        if (value == null || value.isEmpty()) {
            return DEFAULT_BATCH;
        }
        try {
            int max = Integer.parseInt(value);
            if (max >= 1 && max <= MAX_BATCH) {
                return max;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new BadRequestResponse("max must be from 1 to " + MAX_BATCH + ", not " + value);
    }

    private void fail(Context ctx, Throwable cause) {
        int status = cause instanceof ChangesExpiredException ? 410 : 503;
        ctx.status(status).json(errorBody(cause));
    }

    private static Map<String, Object> errorBody(Throwable cause) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", cause instanceof ChangesExpiredException ? cause.getMessage()
                : "the event stream cannot be read now: " + cause.getMessage());
        if (cause instanceof ChangesExpiredException expired) {
            body.put("OldestPosition", expired.oldestPosition());
            body.put("SnapshotPosition", expired.snapshotPosition());
        }
        return body;
    }

    private static Throwable unwrap(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }

    private String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        writers.shutdownNow();
    }
}
