package io.meridian.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;
import io.meridian.http.wire.ConsulShapes;
import io.meridian.http.wire.PreparedQueryBody;
import io.meridian.registry.InstanceEntry;
import io.meridian.registry.PreparedQueries;
import io.meridian.registry.PreparedQuery;
import io.meridian.registry.Registry;
import io.meridian.registry.ServiceView;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Consul's prepared queries: {@code POST /v1/query} creates one ({@code {"ID"}}), {@code GET /v1/query} lists them,
 * {@code GET|PUT|DELETE /v1/query/:id} reads ({@code [query]}), replaces and deletes one, and
 * {@code GET /v1/query/:id-or-name/execute} runs one: the service's instances that pass its tags and health, shuffled
 * (or this node's zone first with {@code Near: _agent} or {@code ?near=_agent}), at most {@code ?limit=}. Changing a
 * query needs write on its service, reading or running one read on it; a list leaves out what the token may not read.
 */
final class QueryEndpoints {

    private final PreparedQueries queries;
    private final Registry registry;
    private final ConsulShapes shapes;
    private final ConsulHeaders headers;
    private final Acl acl;
    private final ApiSettings settings;
    private final ObjectMapper mapper;

    QueryEndpoints(PreparedQueries queries, Registry registry, ObjectMapper mapper, ConsulShapes shapes,
                   ConsulHeaders headers, Acl acl, ApiSettings settings) {
        this.queries = queries;
        this.mapper = mapper;
        this.registry = registry;
        this.shapes = shapes;
        this.headers = headers;
        this.acl = acl;
        this.settings = settings;
    }

    void create(Context ctx) {
        PreparedQuery asked = body(ctx, "");
        acl.requireWrite(ctx, asked.namespace(), asked.service());
        PreparedQuery created = refusingNameClashes(() -> queries.create(asked));
        ctx.json(Map.of("ID", created.id()));
    }

    void list(Context ctx) {
        List<PreparedQuery> all = queries.all();
        List<PreparedQuery> readable = all.stream()
                .filter(query -> acl.canRead(ctx, query.namespace(), query.service())).toList();
        ConsulHeaders.filteredByAcls(ctx, readable.size() < all.size());
        ctx.json(readable.stream().map(PreparedQueryBody::shape).toList());
    }

    void read(Context ctx) {
        PreparedQuery query = byId(ctx);
        acl.requireRead(ctx, query.namespace(), query.service());
        ctx.json(List.of(PreparedQueryBody.shape(query)));
    }

    void update(Context ctx) {
        PreparedQuery held = byId(ctx);
        acl.requireWrite(ctx, held.namespace(), held.service());
        PreparedQuery asked = body(ctx, held.id());
        acl.requireWrite(ctx, asked.namespace(), asked.service());
        refusingNameClashes(() -> queries.update(asked));
        ctx.status(200);
    }

    void delete(Context ctx) {
        PreparedQuery held = byId(ctx);
        acl.requireWrite(ctx, held.namespace(), held.service());
        queries.delete(held.id());
        ctx.status(200);
    }

    void execute(Context ctx) {
        String idOrName = ctx.pathParam("id");
        PreparedQuery query = queries.find(idOrName)
                .orElseThrow(() -> new NotFoundResponse("no prepared query has the id or name " + idOrName));
        acl.requireRead(ctx, query.namespace(), query.service());
        ServiceView view = registry.service(query.namespace(), query.service());
        List<InstanceEntry> found = new ArrayList<>(view.instances().stream()
                .filter(entry -> query.matches(entry.instance())).toList());
        Collections.shuffle(found);
        boolean near = query.near().equals("_agent")
                || RequestParams.nearZone(ctx, settings.zone()).isPresent();
        settings.zone().filter(zone -> near).ifPresent(zone -> found.sort(
                Comparator.comparing(entry -> !zone.equals(entry.instance().meta().get("zone")))));
        int limit = limit(ctx).orElse(found.size());
        headers.set(ctx, view.index());
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("Service", query.service());
        answer.put("Namespace", query.namespace());
        answer.put("Nodes", found.stream().limit(limit).map(shapes::healthEntry).toList());
        answer.put("DNS", Map.of("TTL", query.dnsTtl()));
        answer.put("Datacenter", settings.datacenter());
        answer.put("Failovers", 0);
        ctx.json(answer);
    }

    private PreparedQuery byId(Context ctx) {
        String id = ctx.pathParam("id");
        return queries.find(id).filter(query -> query.id().equals(id))
                .orElseThrow(() -> new NotFoundResponse("no prepared query has the id " + id));
    }

    private PreparedQuery body(Context ctx, String id) {
        return JsonBody.read(mapper, ctx.body(), PreparedQueryBody.class)
                .toQuery(id, RequestParams.namespace(ctx));
    }

    private static Optional<Integer> limit(Context ctx) {
        String limit = ctx.queryParam("limit");
        if (limit == null || limit.isEmpty()) {
            return Optional.empty();
        }
        try {
            int value = Integer.parseInt(limit);
            if (value < 0) {
                throw new NumberFormatException();
            }
            return Optional.of(value);
        } catch (NumberFormatException e) {
            throw new BadRequestResponse("?limit= takes a count of instances, not '" + limit + "'");
        }
    }

    private interface Change {
        PreparedQuery run();
    }

    private static PreparedQuery refusingNameClashes(Change change) {
        try {
            return change.run();
        } catch (IllegalArgumentException clash) {
            throw new BadRequestResponse(clash.getMessage());
        }
    }
}
