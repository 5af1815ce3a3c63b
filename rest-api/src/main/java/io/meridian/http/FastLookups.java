package io.meridian.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.BadRequestResponse;
import io.meridian.registry.InstanceFilter;
import io.meridian.registry.Registry;
import io.meridian.registry.ServiceInstance;
import io.meridian.registry.ServiceView;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.regex.Pattern;

/**
 * Answers the request a node gets most, a lookup of a service's instances, on Jetty's own request API, before the
 * servlet and Javalin layers: about half the CPU of the same answer through them, and for a blocking query a parked
 * request that holds no thread and is answered with one write of the shared rendering. It answers only the plainest
 * form, {@code GET /v1/health/service/NAME} or {@code /v1/catalog/service/NAME} with at most {@code ?passing},
 * {@code ?tag=}, {@code ?index=} and {@code ?wait=} and no namespace header, in default-allow ACL mode (where a token
 * changes nothing), and within the client's read rate. Every other request, and any lookup with another parameter,
 * an invalid value, an unusual name or a rate-limited client, goes on to Javalin unchanged, which answers it (errors
 * included) as before;
 * so does a lookup that does not block and whose read fails. The answer is the one Javalin's route gives: the same
 * renderings, Consul headers, request metrics and, for a parked query whose read fails, the same JSON error.
 *
 * <p>It is the one non-blocking handler of the server, so the thread that read a request (a selector thread) calls it
 * with no hand-over: a lookup of a service whose current view this member holds, the common case, is answered on that
 * thread, which saves about two fifths of the CPU a lookup costs here (the hand-over's wake-ups), and a blocking query
 * on such a view that must wait (a watch loop's next query) is parked there. Everything else, which may read, is
 * handed to the server's thread pool before it can block. Thread-safe.
 */
final class FastLookups extends Handler.Wrapper {

    static final String HEALTH_ROUTE = "/v1/health/service/{name}";
    static final String CATALOG_ROUTE = "/v1/catalog/service/{name}";
    private static final String HEALTH_PREFIX = "/v1/health/service/";
    private static final String CATALOG_PREFIX = "/v1/catalog/service/";
    private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z0-9._-]+");
    private static final String JSON = "application/json";
    private static final String NAMESPACE = ServiceInstance.DEFAULT_NAMESPACE;
    private static final Logger LOG = LoggerFactory.getLogger(FastLookups.class);

    /** A plain lookup's query: its filter, and for a blocking query the index it has seen and how long it waits. */
    private record PlainQuery(InstanceFilter filter, long index, Duration waitFor) {
    }

    /** A lookup this handler answers: the service, its shape (health or catalog), and the query. */
    private record Lookup(String service, boolean isHealth, PlainQuery query) {

        String route() {
            return isHealth ? HEALTH_ROUTE : CATALOG_ROUTE;
        }

        Selection selection() {
            return new Selection(query.filter(), Optional.empty(), Optional.empty());
        }
    }

    /** Handling of a request that may block: true if it was handled. */
    @FunctionalInterface
    private interface Handling {
        boolean handle() throws Exception;
    }

    /** A lookup's answer: the view's index, for the headers, and the rendered body. */
    private record Answer(long index, byte[] body) {
    }

    private final Registry registry;
    private final ViewRenderer health;
    private final ViewRenderer catalog;
    private final ConsulHeaders headers;
    private final RequestLimits limits;
    private final RequestMeters meters;
    private final BlockingQuery blocking;
    private final ObjectMapper mapper;

    FastLookups(Registry registry, ViewRenderer health, ViewRenderer catalog, ConsulHeaders headers,
                RequestLimits limits, RequestMeters meters, BlockingQuery blocking, ObjectMapper mapper) {
        this.registry = registry;
        this.health = health;
        this.catalog = catalog;
        this.headers = headers;
        this.limits = limits;
        this.meters = meters;
        this.blocking = blocking;
        this.mapper = mapper;
    }

    /**
     * Non-blocking, so that Jetty runs {@link #handle} on the thread that read the request, with no hand-over to
     * another thread: a lookup this member can answer from the view it holds is answered there; everything else,
     * which may read or block, is handed to the server's thread pool first.
     */
    @Override
    public InvocationType getInvocationType() {
        return InvocationType.NON_BLOCKING;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        long start = System.nanoTime();
        Optional<Lookup> lookup = lookupOf(request);
        if (lookup.isEmpty()) {
            return forked(request, response, callback, () -> super.handle(request, response, callback));
        }
        Optional<ServiceView> held = registry.heldService(NAMESPACE, lookup.get().service())
                .filter(view -> view.index() > lookup.get().query().index());
        if (held.isPresent()) {
            write(response, callback, answerOf(lookup.get(), held.get()), lookup.get().route(), start);
            return true;
        }
        // A watch loop's next query, asking for the index it was just answered with, parks on the held view here.
        Optional<CompletableFuture<ServiceView>> parkable = lookup.get().query().index() > 0
                ? registry.awaitHeldService(NAMESPACE, lookup.get().service(), lookup.get().query().index())
                : Optional.empty();
        if (parkable.isPresent()) {
            park(lookup.get(), parkable.get(), request, response, callback, start);
            return true;
        }
        return forked(request, response, callback, () -> answer(lookup.get(), request, response, callback, start));
    }

    /** The plain lookup the request is, if it is one this handler answers. */
    private Optional<Lookup> lookupOf(Request request) {
        if (!"GET".equals(request.getMethod())) {
            return Optional.empty();
        }
        String path = Request.getPathInContext(request);
        boolean isHealth = path.startsWith(HEALTH_PREFIX);
        if (!isHealth && !path.startsWith(CATALOG_PREFIX)
                || request.getHeaders().contains(RequestParams.NAMESPACE_HEADER)) {
            return Optional.empty();
        }
        String service = path.substring(isHealth ? HEALTH_PREFIX.length() : CATALOG_PREFIX.length());
        Optional<PlainQuery> query = plainQuery(request);
        if (query.isEmpty() || !PLAIN_NAME.matcher(service).matches()
                || !limits.acquire(true, Request.getRemoteAddr(request)).isZero()) {
            return Optional.empty();
        }
        return Optional.of(new Lookup(service, isHealth, query.get()));
    }

    /** Answers the lookup; when a lookup that does not block cannot read, leaves it to Javalin's route. */
    private boolean answer(Lookup lookup, Request request, Response response, Callback callback, long start)
            throws Exception {
        if (lookup.query().index() > 0) {
            park(lookup, registry.awaitService(NAMESPACE, lookup.service(), lookup.query().index()), request, response,
                    callback, start);
            return true;
        }
        Answer answer;
        try {
            answer = answerOf(lookup, registry.service(NAMESPACE, lookup.service()));
        } catch (RuntimeException e) {
            // Nothing is written yet: Javalin's route reads again and answers any failure in the API's JSON shape,
            // without charging the client the token this handler already took.
            RequestLimits.markCharged(request);
            return super.handle(request, response, callback);
        }
        write(response, callback, answer, lookup.route(), start);
        return true;
    }

    /** Parks a blocking lookup on {@code waiter} until it completes or the query's wait runs out; blocks nothing. */
    private void park(Lookup lookup, CompletableFuture<ServiceView> waiter, Request request, Response response,
                      Callback callback, long start) {
        // The wait bounds how long the request stays open, not the connector's idle timeout.
        request.addIdleTimeoutListener(timeout -> false);
        blocking.park(waiter, lookup.query().waitFor(), () -> registry.service(NAMESPACE, lookup.service()))
                .thenApply(view -> answerOf(lookup, view))
                .whenComplete((answer, error) -> {
                    if (error == null) {
                        write(response, callback, answer, lookup.route(), start);
                    } else {
                        fail(response, callback, error, lookup.route(), start);
                    }
                });
    }

    private Answer answerOf(Lookup lookup, ServiceView view) {
        ViewRenderer renderer = lookup.isHealth() ? health : catalog;
        return new Answer(view.index(), renderer.render(view, lookup.selection()));
    }

    /**
     * Runs {@code handling}, which may block, on the server's thread pool; a request nothing handled is answered 404,
     * as the server itself would, and a failure as Jetty answers one.
     */
    private boolean forked(Request request, Response response, Callback callback, Handling handling) {
        getServer().getThreadPool().execute(() -> {
            try {
                if (!handling.handle()) {
                    Response.writeError(request, response, callback, HttpStatus.NOT_FOUND_404);
                }
            } catch (Throwable failure) {
                Response.writeError(request, response, callback, failure);
            }
        });
        return true;
    }

    private void write(Response response, Callback callback, Answer answer, String route, long start) {
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, JSON);
        headers.set(response.getHeaders()::put, answer.index());
        response.write(true, ByteBuffer.wrap(answer.body()), callback);
        meters.record(route, "GET", 200, System.nanoTime() - start);
    }

    /**
     * A parked lookup whose read or rendering failed, answered in the API's JSON error shape with the status Javalin's
     * exception handlers give: 503 when the registry or the grid cannot answer, 500 for anything else.
     */
    private void fail(Response response, Callback callback, Throwable error, String route, long start) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        ApiError answer = ConsulHttpServer.failureOf(cause, false);
        if (answer.status() == 500) {
            LOG.error("unexpected failure answering a parked lookup on {}", route, cause);
        }
        byte[] body;
        try {
            body = mapper.writeValueAsBytes(answer);
        } catch (JsonProcessingException e) {
            callback.failed(e);
            return;
        }
        response.setStatus(answer.status());
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, JSON);
        response.write(true, ByteBuffer.wrap(body), callback);
        meters.record(route, "GET", answer.status(), System.nanoTime() - start);
    }

    /**
     * The lookup's filter, index and wait, if {@code ?passing}, {@code ?tag=}, {@code ?index=} and {@code ?wait=} are
     * all the query has, and are valid.
     */
    private Optional<PlainQuery> plainQuery(Request request) {
        if (request.getHttpURI().getQuery() == null) {
            return Optional.of(new PlainQuery(new InstanceFilter(List.of(), false), 0, Duration.ZERO));
        }
        Fields query = Request.extractQueryParameters(request);
        boolean passing = false;
        for (String name : query.getNames()) {
            switch (name) {
                case "tag", "index", "wait" -> { }
                case "passing" -> {
                    Optional<Boolean> value = RequestParams.flagValue(query.getValue(name));
                    if (value.isEmpty()) {
                        return Optional.empty();
                    }
                    passing = value.get();
                }
                default -> {
                    return Optional.empty();
                }
            }
        }
        long index;
        try {
            index = RequestParams.index(query.getValue("index"));
        } catch (BadRequestResponse invalid) {
            return Optional.empty();
        }
        Optional<Duration> wait = blocking.waitOf(query.getValue("wait"));
        if (wait.isEmpty()) {
            return Optional.empty();
        }
        List<String> tags = query.getValues("tag");
        return Optional.of(new PlainQuery(new InstanceFilter(tags == null ? List.of() : tags, passing), index,
                wait.get()));
    }
}
