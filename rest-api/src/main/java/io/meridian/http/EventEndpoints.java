package io.meridian.http;

import io.javalin.http.Context;
import io.javalin.http.ContentTooLargeResponse;
import io.meridian.registry.UserEvent;
import io.meridian.registry.UserEvents;

import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Consul's user events: {@code PUT /v1/event/fire/:name} (the body is the payload; {@code ?node=}, {@code ?service=}
 * and {@code ?tag=} are kept as the event's filters) and {@code GET /v1/event/list} ({@code ?name=} to keep one name),
 * a blocking query on the events' index. Under default-deny, firing needs the management token and listing any known
 * token: Meridian's ACL rules are about services, and an event names none.
 */
final class EventEndpoints {

    private final UserEvents events;
    private final BlockingQuery blocking;
    private final ConsulHeaders headers;
    private final Acl acl;

    EventEndpoints(UserEvents events, BlockingQuery blocking, ConsulHeaders headers, Acl acl) {
        this.events = events;
        this.blocking = blocking;
        this.headers = headers;
        this.acl = acl;
    }

    void fire(Context ctx) {
        acl.requireManagement(ctx);
        byte[] payload = ctx.bodyAsBytes();
        if (payload.length > UserEvent.MAX_PAYLOAD_BYTES) {
            throw new ContentTooLargeResponse("an event's payload has at most " + UserEvent.MAX_PAYLOAD_BYTES
                    + " bytes, not " + payload.length);
        }
        UserEvent event = new UserEvent(UUID.randomUUID().toString(), ctx.pathParam("name"), payload,
                ctx.queryParam("node"), ctx.queryParam("service"), ctx.queryParam("tag"));
        events.fire(event);
        ctx.json(shape(event, 0));
    }

    void list(Context ctx) {
        acl.of(ctx);
        String name = ctx.queryParam("name");
        blocking.answer(ctx, events::awaitAfter, events::index, changed -> {
            long index = events.index();
            headers.set(ctx, index);
            ctx.json(events.recent().stream()
                    .filter(event -> name == null || name.isEmpty() || event.name().equals(name))
                    .map(event -> shape(event, index)).toList());
        });
    }

    /** Consul's shape: the payload in base64, {@code null} when empty; Meridian's index as the Lamport time. */
    private static Map<String, Object> shape(UserEvent event, long lamportTime) {
        Map<String, Object> shape = new LinkedHashMap<>();
        shape.put("ID", event.id());
        shape.put("Name", event.name());
        byte[] payload = event.payload();
        shape.put("Payload", payload.length == 0 ? null : Base64.getEncoder().encodeToString(payload));
        shape.put("NodeFilter", event.nodeFilter());
        shape.put("ServiceFilter", event.serviceFilter());
        shape.put("TagFilter", event.tagFilter());
        shape.put("Version", 1);
        shape.put("LTime", lamportTime);
        return shape;
    }
}
