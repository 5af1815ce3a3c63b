package io.meridian.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * Clients that register, deregister and change the TTL status of instances, and read services by default and with
 * {@code ?consistent}, each operation through a member picked at random, recording every operation in a
 * {@link History}. Each instance id is registered at most once and deregistered at most once, so a history says
 * unambiguously what the registry should hold. Deterministic for a seed, apart from timing.
 */
public final class Workload implements AutoCloseable {

    /** Longest a request waits for its answer; past it the operation is recorded as unknown. */
    public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(8);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long STEADY_PAUSE_MILLIS = 200;

    private final NodeCluster cluster;
    /** The services the random clients write and read. */
    private final List<String> clientServices;
    /** Those and the steady writers' services, one per member: their writes are never read with {@code ?consistent}. */
    private final List<String> services;
    private final History history = new History();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final List<Thread> clients = new ArrayList<>();

    private Workload(NodeCluster cluster, int serviceCount) {
        this.cluster = cluster;
        this.clientServices = IntStream.range(0, serviceCount).mapToObj(i -> "svc-" + i).toList();
        this.services = Stream.concat(clientServices.stream(),
                IntStream.range(0, cluster.size()).mapToObj(Workload::steadyService)).toList();
    }

    /**
     * Starts {@code clients} threads, client {@code c} drawing from {@code new Random(seed + c)}, and one steady
     * writer per member. A random client that picks a frozen or cut-off member waits out its request timeout, so
     * during a fault most random clients may be waiting on the member that is away; the steady writers, one pinned to
     * each member, keep writes going through every member, so that the time the majority takes writes again is
     * seen whatever the random clients are waiting on. Each writes a service of its own, which no {@code ?consistent}
     * read asks for: its writes of unknown outcome to a frozen member would otherwise swell the linearizability search.
     */
    public static Workload start(NodeCluster cluster, long seed, int clients, int serviceCount) {
        Workload workload = new Workload(cluster, serviceCount);
        for (int c = 0; c < clients; c++) {
            int client = c;
            workload.startClient("workload-client-" + c, () -> workload.runClient(client, new Random(seed + client)));
        }
        for (int node = 0; node < cluster.size(); node++) {
            int member = node;
            workload.startClient("steady-writer-" + node, () -> workload.writeSteadily(clients + member, member));
        }
        return workload;
    }

    private void startClient(String name, Runnable work) {
        Thread thread = new Thread(work, name);
        thread.setDaemon(true);
        clients.add(thread);
        thread.start();
    }

    /** Registers an instance through one member, then deregisters it, every {@value #STEADY_PAUSE_MILLIS} ms. */
    private void writeSteadily(int client, int node) {
        String service = steadyService(node);
        for (int sequence = 0; running.get(); sequence++) {
            String id = "w" + node + "-" + sequence;
            Op registered = write(client, Op.Kind.REGISTER, service, id, node, "/v1/agent/service/register",
                    "{\"ID\":\"" + id + "\",\"Name\":\"" + service + "\",\"Port\":9000}");
            NodeCluster.sleep(Duration.ofMillis(STEADY_PAUSE_MILLIS));
            if (registered.outcome() != Op.Outcome.FAIL) {
                write(client, Op.Kind.DEREGISTER, service, id, node, "/v1/agent/service/deregister/" + id, "");
                NodeCluster.sleep(Duration.ofMillis(STEADY_PAUSE_MILLIS));
            }
        }
    }

    private static String steadyService(int node) {
        return "steady-" + node;
    }

    /** Every service the workload writes. */
    public List<String> services() {
        return services;
    }

    public History history() {
        return history;
    }

    private void runClient(int client, Random random) {
        List<String[]> registered = new ArrayList<>();
        int sequence = 0;
        while (running.get()) {
            int node = random.nextInt(cluster.size());
            String service = clientServices.get(random.nextInt(clientServices.size()));
            int roll = random.nextInt(100);
            if (roll < 35 || registered.isEmpty()) {
                String id = "c" + client + "-" + sequence++;
                Op op = write(client, Op.Kind.REGISTER, service, id, node, "/v1/agent/service/register",
                        "{\"ID\":\"" + id + "\",\"Name\":\"" + service + "\",\"Port\":9000,"
                                + "\"Check\":{\"CheckID\":\"ttl-" + id + "\",\"TTL\":\"30m\"}}");
                if (op.outcome() != Op.Outcome.FAIL) {
                    registered.add(new String[] {service, id});
                }
            } else if (roll < 45) {
                String[] target = registered.remove(random.nextInt(registered.size()));
                write(client, Op.Kind.DEREGISTER, target[0], target[1], node,
                        "/v1/agent/service/deregister/" + target[1], "");
            } else if (roll < 55) {
                String[] target = registered.get(random.nextInt(registered.size()));
                write(client, Op.Kind.CHECK_STATUS, target[0], target[1], node,
                        "/v1/agent/check/" + (random.nextBoolean() ? "pass" : "fail") + "/ttl-" + target[1], "");
            } else {
                read(client, random.nextInt(100) < 40, service, node);
            }
        }
    }

    private Op write(int client, Op.Kind kind, String service, String id, int node, String path, String body) {
        long invoked = System.nanoTime();
        Op.Outcome outcome;
        long index = 0;
        boolean answered = false;
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(cluster.uri(node, path))
                    .timeout(REQUEST_TIMEOUT).PUT(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            outcome = outcomeOf(response.statusCode());
            answered = true;
            index = response.headers().firstValueAsLong("X-Consul-Index").orElse(0);
        } catch (ConnectException | HttpConnectTimeoutException notSent) {
            outcome = Op.Outcome.FAIL;
        } catch (IOException e) {
            outcome = Op.Outcome.UNKNOWN;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            outcome = Op.Outcome.UNKNOWN;
        }
        long completed = answered || outcome == Op.Outcome.FAIL ? System.nanoTime() : Long.MAX_VALUE;
        Op op = Op.write(client, kind, service, id, node, invoked, completed, outcome, index);
        history.add(op);
        if (outcome != Op.Outcome.OK) {
            NodeCluster.sleep(Duration.ofMillis(100));
        }
        return op;
    }

    /** 2xx acknowledged; 4xx refused as invalid, so not applied; anything else may or may not have been applied. */
    private static Op.Outcome outcomeOf(int status) {
        if (status / 100 == 2) {
            return Op.Outcome.OK;
        }
        return status / 100 == 4 ? Op.Outcome.FAIL : Op.Outcome.UNKNOWN;
    }

    private void read(int client, boolean consistent, String service, int node) {
        long invoked = System.nanoTime();
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(cluster.uri(node,
                    "/v1/health/service/" + service + (consistent ? "?consistent" : ""))).timeout(REQUEST_TIMEOUT)
                    .build(), HttpResponse.BodyHandlers.ofString());
            long completed = System.nanoTime();
            if (response.statusCode() == 200) {
                history.add(Op.read(client, consistent, service, node, invoked, completed,
                        response.headers().firstValueAsLong("X-Consul-Index").orElse(0), idsIn(response.body())));
            } else {
                history.add(failedRead(client, consistent, service, node, invoked));
            }
        } catch (IOException e) {
            history.add(failedRead(client, consistent, service, node, invoked));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A read that got no answer, or no 200: it changed nothing, and counts in the latency figures as it took. */
    private static Op failedRead(int client, boolean consistent, String service, int node, long invoked) {
        return new Op(client, consistent ? Op.Kind.CONSISTENT_READ : Op.Kind.READ, service, "", node, invoked,
                System.nanoTime(), Op.Outcome.FAIL, 0, Set.of());
    }

    /** The instance ids in a {@code /v1/health/service} answer. */
    static Set<String> idsIn(String body) throws IOException {
        Set<String> ids = new HashSet<>();
        for (JsonNode entry : JSON.readTree(body)) {
            ids.add(entry.path("Service").path("ID").asText());
        }
        return ids;
    }

    /** Stops the clients and waits for their last operations to end. */
    @Override
    public void close() throws InterruptedException {
        running.set(false);
        for (Thread client : clients) {
            client.join(REQUEST_TIMEOUT.toMillis() * 2);
        }
    }
}
