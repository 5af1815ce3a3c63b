package io.meridian.http;

import io.meridian.registry.InstanceFilter;
import io.meridian.registry.Registry;
import io.meridian.registry.ServiceInstance;
import io.meridian.registry.ServiceView;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Answers the request a node gets most, a lookup of a service's instances that does not block, on Jetty's own
 * request API, before the servlet and Javalin layers: about half the CPU of the same answer through them. It answers
 * only the plainest form, {@code GET /v1/health/service/NAME} or {@code /v1/catalog/service/NAME} with at most
 * {@code ?passing} and {@code ?tag=}, in default-allow ACL mode (where a token changes nothing), and within the
 * client's read rate. Every other request, and any lookup with another parameter, an invalid flag, an unusual name or
 * a rate-limited client, goes on to Javalin unchanged, which answers it (errors included) as before; so does a lookup
 * whose read fails. The answer is the one Javalin's route gives: the same renderings, Consul headers and request
 * metrics. Thread-safe.
 */
final class FastLookups extends Handler.Wrapper {

    static final String HEALTH_ROUTE = "/v1/health/service/{name}";
    static final String CATALOG_ROUTE = "/v1/catalog/service/{name}";
    private static final String HEALTH_PREFIX = "/v1/health/service/";
    private static final String CATALOG_PREFIX = "/v1/catalog/service/";
    private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z0-9._-]+");
    private static final String JSON = "application/json";

    private final Registry registry;
    private final ViewRenderer health;
    private final ViewRenderer catalog;
    private final ConsulHeaders headers;
    private final RequestLimits limits;
    private final RequestMeters meters;

    FastLookups(Registry registry, ViewRenderer health, ViewRenderer catalog, ConsulHeaders headers,
                RequestLimits limits, RequestMeters meters) {
        this.registry = registry;
        this.health = health;
        this.catalog = catalog;
        this.headers = headers;
        this.limits = limits;
        this.meters = meters;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        long start = System.nanoTime();
        if (!"GET".equals(request.getMethod())) {
            return super.handle(request, response, callback);
        }
        String path = Request.getPathInContext(request);
        boolean isHealth = path.startsWith(HEALTH_PREFIX);
        if (!isHealth && !path.startsWith(CATALOG_PREFIX)) {
            return super.handle(request, response, callback);
        }
        String service = path.substring(isHealth ? HEALTH_PREFIX.length() : CATALOG_PREFIX.length());
        Optional<InstanceFilter> filter = plainFilter(request);
        if (filter.isEmpty() || !PLAIN_NAME.matcher(service).matches()
                || !limits.acquire(true, Request.getRemoteAddr(request)).isZero()) {
            return super.handle(request, response, callback);
        }
        ServiceView view;
        byte[] body;
        try {
            view = registry.service(ServiceInstance.DEFAULT_NAMESPACE, service);
            body = (isHealth ? health : catalog).render(view,
                    new Selection(filter.get(), Optional.empty(), Optional.empty()));
        } catch (RuntimeException e) {
            // Nothing is written yet: Javalin's route reads again and answers any failure in the API's JSON shape.
            return super.handle(request, response, callback);
        }
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, JSON);
        headers.set(response.getHeaders()::put, view.index());
        response.write(true, ByteBuffer.wrap(body), callback);
        meters.record(isHealth ? HEALTH_ROUTE : CATALOG_ROUTE, "GET", 200, System.nanoTime() - start);
        return true;
    }

    /** The tag and passing filter, if {@code ?passing} and {@code ?tag=} are all the query has, and are valid. */
    private static Optional<InstanceFilter> plainFilter(Request request) {
        if (request.getHttpURI().getQuery() == null) {
            return Optional.of(new InstanceFilter(List.of(), false));
        }
        Fields query = Request.extractQueryParameters(request);
        boolean passing = false;
        for (String name : query.getNames()) {
            switch (name) {
                case "tag" -> { }
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
        List<String> tags = query.getValues("tag");
        return Optional.of(new InstanceFilter(tags == null ? List.of() : tags, passing));
    }
}
