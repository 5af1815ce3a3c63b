package io.meridian.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.hazelcast.core.HazelcastException;
import com.hazelcast.core.HazelcastInstanceNotActiveException;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.staticfiles.Location;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import io.javalin.json.JavalinJackson;
import io.meridian.http.filter.InstanceSelectors;
import io.meridian.http.wire.ChangeEventShapes;
import io.meridian.http.wire.ConsulShapes;
import io.meridian.http.wire.InvalidFieldException;
import io.meridian.http.wire.MissingFieldException;
import io.meridian.operator.LivePeerException;
import io.meridian.operator.RecoveryRefusedException;
import io.meridian.operator.UnknownPeerException;
import io.meridian.registry.CheckIdTakenException;
import io.meridian.registry.InvalidRegistrationException;
import io.meridian.registry.Registry;
import io.meridian.registry.RegistryFullException;
import io.meridian.registry.RegistryUnavailableException;
import io.meridian.registry.durable.InvalidSnapshotException;
import io.meridian.registry.UnknownCheckException;
import io.meridian.registry.UnknownInstanceException;
import io.meridian.registry.UnknownPreparedQueryException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.handler.StatisticsHandler;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The Consul-compatible HTTP API on Javalin, over HTTPS when the settings give PEM files. Every route is declared in
 * the constructor, {@link #routes}, {@link #nodeRoutes} and {@link #queryRoutes}; every failure becomes
 * {@link ApiError} JSON through {@link #errors}. Start it with {@link #start}; stop it with {@link #drain} (gracefully:
 * unready, parked queries answered, no new connections, requests in flight finished) or {@link #close} (at once).
 */
public final class ConsulHttpServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ConsulHttpServer.class);

    private final Javalin app;
    private final ExecutorService responders;
    private final Optional<TlsConnector> tls;
    private final BlockingQuery blocking;
    private final ProbeEndpoints probes;
    private final ChangeStreamEndpoints changeStream;

    /** @throws IllegalArgumentException if the settings ask for TLS and the PEM files cannot be read */
    public ConsulHttpServer(ApiBackends backends, ApiSettings settings) {
        Registry registry = backends.registry();
        this.tls = settings.tls().map(TlsConnector::new);
        ObjectMapper mapper = JsonBody.mapper();
        int responderThreads = Math.max(2, Runtime.getRuntime().availableProcessors());
        // Past close() an answer has no connection left to go to: it is dropped, not thrown at whoever completed it.
        this.responders = new ThreadPoolExecutor(responderThreads, responderThreads, 0, TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>(), runnable -> {
                    Thread thread = new Thread(runnable, "meridian-http-responder");
                    thread.setDaemon(true);
                    return thread;
                }, new ThreadPoolExecutor.DiscardPolicy());
        ConsulShapes shapes = new ConsulShapes(settings.datacenter());
        ConsulHeaders headers = new ConsulHeaders(backends.cluster());
        Acl acl = new Acl(settings.acl(), backends.acls(), registry);
        AgentEndpoints agent = new AgentEndpoints(registry, mapper, shapes, settings, backends.stats(), acl);
        this.blocking = new BlockingQuery(settings, responders, backends.metrics());
        RequestMeters requestMeters = new RequestMeters(backends.metrics());
        RequestLimits limits = new RequestLimits(settings.rateLimits(), backends.metrics());
        CommittedStateReads committedReads = new CommittedStateReads(backends.metrics());
        ViewRenderer healthRenderer = new ViewRenderer(mapper, shapes::healthEntry, InstanceSelectors.HEALTH);
        ViewRenderer catalogRenderer = new ViewRenderer(mapper, shapes::catalogEntry, InstanceSelectors.CATALOG);
        NamespaceReads namespaceReads = new NamespaceReads(registry, blocking, headers);
        ServiceEndpoints services = new ServiceEndpoints(registry, healthRenderer, catalogRenderer, headers, blocking,
                namespaceReads, acl, settings.zone(), committedReads);
        FastLookups fastLookups = new FastLookups(registry, healthRenderer, catalogRenderer, headers, limits,
                requestMeters, blocking, mapper);
        CatalogEndpoints catalog = new CatalogEndpoints(registry, mapper, acl);
        AclEndpoints acls = new AclEndpoints(backends.acls(), acl, mapper);
        StatusEndpoints status = new StatusEndpoints(backends.cluster());
        this.probes = new ProbeEndpoints(backends.cluster(), registry);
        OperatorEndpoints operator = new OperatorEndpoints(backends.operator(), acl, mapper);
        SnapshotEndpoints snapshots = new SnapshotEndpoints(backends.durableState(), acl, committedReads);
        InstanceStateEndpoints instanceState = new InstanceStateEndpoints(registry, backends.reports(), acl);
        CheckListing checkListing = new CheckListing(registry, shapes);
        CheckEndpoints checks = new CheckEndpoints(registry, mapper, shapes, headers, blocking, namespaceReads,
                checkListing, settings, acl, backends.cluster());
        LocalServiceEndpoints localServices = new LocalServiceEndpoints(registry, mapper, shapes, checkListing,
                blocking, acl, settings);
        EventEndpoints events = new EventEndpoints(backends.events(), blocking, headers, acl);
        UiEndpoints ui = new UiEndpoints(registry, shapes, namespaceReads, blocking, headers, acl);
        NodeEndpoints nodes = new NodeEndpoints(registry, backends.cluster(), shapes, namespaceReads, acl,
                settings.datacenter());
        this.changeStream = new ChangeStreamEndpoints(backends.changes(), new ChangeEventShapes(shapes), mapper,
                blocking, settings, acl);
        this.app = Javalin.create(config -> {
            config.jsonMapper(new JavalinJackson(mapper, false));
            config.http.maxRequestSize = settings.maxBodyBytes();
            config.http.prefer405over404 = true;
            config.http.asyncTimeout = settings.maxWait().plusMinutes(1).toMillis();
            config.startup.showJavalinBanner = false;
            tls.ifPresent(connector -> config.jetty.addConnector(connector::create));
            if (!settings.acl().defaultDeny()) {
                // Innermost of the server's own handlers, outside the servlet context Javalin then attaches to it.
                config.jetty.modifyServer(server -> server.getTail().setHandler(fastLookups));
            }
            config.requestLogger.http(requestMeters::record);
            config.routes.before(limits::check);
            config.routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                    .result(backends.metrics().scrape()));
            config.routes.get("/livez", probes::live);
            config.routes.get("/readyz", probes::ready);
            routes(config, agent, services, catalog, checks, instanceState, status);
            nodeRoutes(config, nodes, checks);
            queryRoutes(config, new QueryEndpoints(backends.queries(), registry, mapper, shapes, headers, acl,
                    settings));
            config.routes.put("/v1/event/fire/{name}", events::fire);
            config.routes.get("/v1/event/list", events::list);
            config.routes.get("/v1/events/stream", changeStream::handle);
            uiRoutes(config, ui);
            config.routes.get("/v1/agent/service/{id}", localServices::service);
            config.routes.get("/v1/agent/health/service/id/{id}", localServices::healthById);
            config.routes.get("/v1/agent/health/service/name/{name}", localServices::healthByName);
            config.routes.get("/v1/operator/raft/configuration", operator::raftConfiguration);
            config.routes.delete("/v1/operator/raft/peer", operator::removePeer);
            config.routes.get("/v1/operator/autopilot/health", operator::autopilotHealth);
            config.routes.get("/v1/operator/autopilot/configuration", operator::autopilotConfiguration);
            config.routes.put("/v1/operator/autopilot/configuration", operator::updateAutopilotConfiguration);
            config.routes.put("/v1/operator/recover", operator::recover);
            config.routes.get("/v1/snapshot", snapshots::save);
            config.routes.put("/v1/snapshot", snapshots::restore);
            config.routes.put("/v1/acl/policy", acls::putPolicy);
            config.routes.get("/v1/acl/policies", acls::policies);
            config.routes.put("/v1/acl/token", acls::createToken);
            config.routes.delete("/v1/acl/token/{accessor}", acls::deleteToken);
            errors(config, new AtomicBoolean());
        });
    }

    private static void routes(JavalinConfig config, AgentEndpoints agent, ServiceEndpoints services,
                               CatalogEndpoints catalog, CheckEndpoints checks, InstanceStateEndpoints instanceState,
                               StatusEndpoints status) {
        config.routes.put("/v1/agent/service/register", agent::register);
        config.routes.put("/v1/agent/service/deregister/{id}", agent::deregister);
        config.routes.get("/v1/agent/services", agent::services);
        config.routes.get("/v1/agent/self", agent::self);
        config.routes.get(FastLookups.HEALTH_ROUTE, services::health);
        config.routes.get(FastLookups.CATALOG_ROUTE, services::catalogService);
        config.routes.get("/v1/catalog/services", services::catalogServices);
        config.routes.put("/v1/catalog/register", catalog::register);
        config.routes.put("/v1/catalog/deregister", catalog::deregister);
        config.routes.put("/v1/agent/service/maintenance/{id}", instanceState::maintenance);
        config.routes.put("/v1/agent/service/drain/{id}", instanceState::drain);
        config.routes.put("/v1/agent/service/report/{id}", instanceState::report);
        config.routes.put("/v1/agent/check/register", checks::register);
        config.routes.put("/v1/agent/check/deregister/{id}", checks::deregister);
        config.routes.put("/v1/agent/check/pass/{id}", checks::pass);
        config.routes.put("/v1/agent/check/warn/{id}", checks::warn);
        config.routes.put("/v1/agent/check/fail/{id}", checks::fail);
        config.routes.put("/v1/agent/check/update/{id}", checks::update);
        config.routes.get("/v1/agent/checks", checks::agentChecks);
        config.routes.get("/v1/health/checks/{name}", checks::serviceChecks);
        config.routes.get("/v1/health/state/{state}", checks::inState);
        config.routes.get("/v1/status/leader", status::leader);
        config.routes.get("/v1/status/peers", status::peers);
    }

    private static void nodeRoutes(JavalinConfig config, NodeEndpoints nodes, CheckEndpoints checks) {
        config.routes.get("/v1/catalog/datacenters", nodes::datacenters);
        config.routes.get("/v1/agent/members", nodes::members);
        config.routes.get("/v1/catalog/nodes", nodes::nodes);
        config.routes.get("/v1/catalog/node/{node}", nodes::node);
        config.routes.get("/v1/catalog/node-services/{node}", nodes::nodeServices);
        config.routes.get("/v1/health/node/{node}", checks::onNode);
    }

    /** The web UI, from the jar (no CDN), and the reads it makes besides Consul's API. */
    private static void uiRoutes(JavalinConfig config, UiEndpoints ui) {
        config.staticFiles.add(files -> {
            files.hostedPath = "/ui";
            files.directory = "/ui";
            files.location = Location.CLASSPATH;
        });
        // Javalin routes /ui and /ui/ alike: the page's relative links need the slash.
        config.routes.get("/ui", ctx -> {
            if (ctx.path().endsWith("/")) {
                ctx.contentType("text/html; charset=utf-8")
                        .result(ConsulHttpServer.class.getResourceAsStream("/ui/index.html"));
            } else {
                ctx.redirect("/ui/");
            }
        });
        config.routes.get("/v1/internal/ui/services", ui::services);
        config.routes.get("/v1/internal/ui/service/{name}", ui::service);
        config.routes.get("/v1/internal/ui/namespaces", ui::namespaces);
    }

    private static void queryRoutes(JavalinConfig config, QueryEndpoints queries) {
        config.routes.post("/v1/query", queries::create);
        config.routes.get("/v1/query", queries::list);
        config.routes.get("/v1/query/{id}", queries::read);
        config.routes.put("/v1/query/{id}", queries::update);
        config.routes.delete("/v1/query/{id}", queries::delete);
        config.routes.get("/v1/query/{id}/execute", queries::execute);
    }

    private static void errors(JavalinConfig config, AtomicBoolean memberStopReported) {
        config.routes.exception(MissingFieldException.class, (e, ctx) -> fail(ctx, 400, e.getMessage()));
        config.routes.exception(InvalidFieldException.class, (e, ctx) -> fail(ctx, 422, e.getMessage()));
        config.routes.exception(InvalidRegistrationException.class, (e, ctx) -> fail(ctx, 422, e.getMessage()));
        config.routes.exception(UnknownInstanceException.class, (e, ctx) -> fail(ctx, 404, e.getMessage()));
        config.routes.exception(UnknownCheckException.class, (e, ctx) -> fail(ctx, 404, e.getMessage()));
        config.routes.exception(UnknownPreparedQueryException.class, (e, ctx) -> fail(ctx, 404, e.getMessage()));
        config.routes.exception(CheckIdTakenException.class, (e, ctx) -> fail(ctx, 409, e.getMessage()));
        config.routes.exception(RegistryFullException.class, (e, ctx) -> fail(ctx, 507, e.getMessage()));
        config.routes.exception(RegistryUnavailableException.class, (e, ctx) ->
                fail(ctx, failureOf(e, ctx.method() != HandlerType.GET)));
        config.routes.exception(HazelcastInstanceNotActiveException.class, (e, ctx) -> {
            if (memberStopReported.compareAndSet(false, true)) {
                LOG.error("this node's grid member has stopped: requests it cannot answer get 503 until the node is"
                        + " restarted (reported once)", e);
            }
            fail(ctx, failureOf(e, ctx.method() != HandlerType.GET));
        });
        config.routes.exception(HazelcastException.class, (e, ctx) -> {
            LOG.warn("the grid failed on {} {}", ctx.method(), ctx.path(), e);
            fail(ctx, failureOf(e, ctx.method() != HandlerType.GET));
        });
        config.routes.exception(InvalidSnapshotException.class, (e, ctx) -> fail(ctx, 400, e.getMessage()));
        config.routes.exception(UnknownPeerException.class, (e, ctx) -> fail(ctx, 404, e.getMessage()));
        config.routes.exception(LivePeerException.class, (e, ctx) -> fail(ctx, 409, e.getMessage()));
        config.routes.exception(RecoveryRefusedException.class, (e, ctx) -> fail(ctx, 409, e.getMessage()));
        config.routes.exception(HttpResponseException.class, (e, ctx) -> fail(ctx, e.getStatus(), e.getMessage()));
        config.routes.exception(Exception.class, (e, ctx) -> {
            LOG.error("unexpected failure on {} {}", ctx.method(), ctx.path(), e);
            fail(ctx, failureOf(e, ctx.method() != HandlerType.GET));
        });
        config.routes.error(404, ctx -> {
            if (ctx.result() == null) {
                fail(ctx, 404, "no such endpoint: " + ctx.method() + " " + ctx.path());
            }
        });
        config.routes.error(405, ctx -> fail(ctx, 405, "method " + ctx.method() + " is not allowed on " + ctx.path()));
    }

    /**
     * What a 503 on a write means, as in Consul: the cluster could not confirm the write in time, not that it was
     * refused. It may still be applied. Registrations, deregistrations and check updates are idempotent, so retrying
     * them is safe; a write that creates something new each time (an ACL token without ids) is not.
     */
    static final String WRITE_MAY_STILL_APPLY = ". The write was not confirmed and may still be applied: retrying a"
            + " registration, deregistration or check update is safe (registering again changes nothing more;"
            + " deregistering again answers 404 if the first one was applied)";

    private static void fail(Context ctx, int status, String message) {
        fail(ctx, new ApiError(message, status));
    }

    private static void fail(Context ctx, ApiError error) {
        ctx.status(error.status()).json(error);
    }

    /**
     * The answer to a failure that is not the request's fault: 503 when the registry or the grid cannot answer (for a
     * write, saying that it may still apply), 500 for anything else. Javalin's handlers and the parked fast lookups
     * both answer with it.
     */
    static ApiError failureOf(Throwable failure, boolean write) {
        String suffix = write ? WRITE_MAY_STILL_APPLY : "";
        if (failure instanceof RegistryUnavailableException) {
            return new ApiError(failure.getMessage() + suffix, 503);
        }
        if (failure instanceof HazelcastException) {
            return new ApiError("the grid failed: " + failure.getMessage() + suffix, 503);
        }
        if (failure instanceof HazelcastInstanceNotActiveException) {
            return new ApiError("this node's grid member has stopped; ask another node" + suffix, 503);
        }
        return new ApiError("internal error: " + failure.getClass().getSimpleName(), 500);
    }

    /** Starts listening; port 0 picks a free one. Returns the port it listens on. */
    public int start(String host, int port) {
        if (tls.isPresent()) {
            tls.get().bindTo(host, port);
            app.start();
        } else {
            app.start(host, port);
        }
        return app.port();
    }

    /**
     * Stops gracefully within the bound: {@code /readyz} turns 503, parked blocking queries are answered with what is
     * current, the listeners stop taking connections, and requests in flight are given until the deadline to finish.
     * Then the server stops, cutting off whatever is left.
     */
    public void drain(Duration bound) {
        Instant deadline = Instant.now().plus(bound);
        probes.markDraining();
        blocking.releaseAll();
        for (Connector connector : app.jettyServer().server().getConnectors()) {
            connector.shutdown();
        }
        StatisticsHandler requests = app.jettyServer().server().getDescendant(StatisticsHandler.class);
        try {
            while (requests != null && requests.getRequestsActive() > 0 && Instant.now().isBefore(deadline)) {
                Thread.sleep(20);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        close();
    }

    /**
     * Stops now, closing the listeners and every connection, parked blocking queries included; {@link #drain} is the
     * graceful way. Nothing is left parked on the closed server.
     */
    @Override
    public void close() {
        app.stop();
        changeStream.close();
        responders.shutdownNow();
        blocking.releaseAll();
    }
}
