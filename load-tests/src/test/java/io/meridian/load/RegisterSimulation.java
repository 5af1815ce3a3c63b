package io.meridian.load;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.constantConcurrentUsers;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

/**
 * Registers instances over HTTP ({@code PUT /v1/agent/service/register}) with a fixed number of concurrent users,
 * against a running node: {@code -Dbase=http://127.0.0.1:8500 -Dusers=16 -Dseconds=30}.
 */
public class RegisterSimulation extends Simulation {

    private static final String BASE = System.getProperty("base", "http://127.0.0.1:8500");
    private static final int USERS = Integer.getInteger("users", 16);
    private static final int SECONDS = Integer.getInteger("seconds", 30);
    private static final AtomicLong SEQUENCE = new AtomicLong();

    private final HttpProtocolBuilder protocol = http.baseUrl(BASE).contentTypeHeader("application/json");

    private final ScenarioBuilder registrations = scenario("register").forever().on(
            exec(session -> session.set("n", SEQUENCE.incrementAndGet() % 5_000))
                    .exec(http("register").put("/v1/agent/service/register")
                            .body(StringBody("{\"ID\":\"g-#{n}\",\"Name\":\"gatling\",\"Port\":8080,"
                                    + "\"Tags\":[\"v1\"],\"Meta\":{\"version\":\"1.0\"}}"))
                            .check(status().is(200))));

    {
        setUp(registrations.injectClosed(constantConcurrentUsers(USERS).during(Duration.ofSeconds(SECONDS))))
                .protocols(protocol)
                .maxDuration(Duration.ofSeconds(SECONDS))
                .assertions(global().failedRequests().count().is(0L));
    }
}
