package io.meridian.load;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;

import java.time.Duration;

import static io.gatling.javaapi.core.CoreDsl.constantConcurrentUsers;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

/**
 * Looks up one service over HTTP ({@code GET /v1/health/service/x?passing}) with a fixed number of concurrent users,
 * against a running node: {@code -Dbase=http://127.0.0.1:8500 -Dusers=16 -Dseconds=30}. Register the service first
 * (see load-tests/README.md).
 */
public class LookupSimulation extends Simulation {

    private static final String BASE = System.getProperty("base", "http://127.0.0.1:8500");
    private static final int USERS = Integer.getInteger("users", 16);
    private static final int SECONDS = Integer.getInteger("seconds", 30);

    private final HttpProtocolBuilder protocol = http.baseUrl(BASE).shareConnections();

    private final ScenarioBuilder lookups = scenario("lookup")
            .forever().on(exec(http("health x passing").get("/v1/health/service/x?passing").check(status().is(200))));

    {
        setUp(lookups.injectClosed(constantConcurrentUsers(USERS).during(Duration.ofSeconds(SECONDS))))
                .protocols(protocol)
                .maxDuration(Duration.ofSeconds(SECONDS))
                .assertions(global().failedRequests().count().is(0L));
    }
}
