package io.meridian.node;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Optional;

/**
 * The commands that ask a running node over its HTTP API, with the management token under default-deny:
 * <ul>
 *     <li>{@code meridian operator recover}: recover from a lost CP majority ({@code PUT /v1/operator/recover}); prints
 *     the node's report of what it put back and what it could not, or why it refused;</li>
 *     <li>{@code meridian snapshot save FILE}: {@code GET /v1/snapshot} into FILE (written whole or not at all);</li>
 *     <li>{@code meridian snapshot restore FILE}: {@code PUT /v1/snapshot} from FILE.</li>
 * </ul>
 * Each returns the process exit status: 0 on success, 1 if the node refused or could not be reached.
 */
final class AdminCommands {

    /** A reset, a new CP group's first election and one commit per registration; or a restore of every shard. */
    private static final Duration BOUND = Duration.ofMinutes(5);

    private final String httpAddress;
    private final Optional<String> token;

    AdminCommands(String httpAddress, Optional<String> token) {
        this.httpAddress = httpAddress;
        this.token = token;
    }

    int recover() throws InterruptedException {
        return send("recovery", request("/v1/operator/recover").PUT(HttpRequest.BodyPublishers.noBody()));
    }

    int restoreSnapshot(Path file) throws InterruptedException {
        try {
            return send("restore", request("/v1/snapshot").PUT(HttpRequest.BodyPublishers.ofFile(file)));
        } catch (IOException e) {
            System.err.println("cannot read " + file + ": " + e);
            return 1;
        }
    }

    int saveSnapshot(Path file) throws InterruptedException {
        try {
            Path partial = Files.createTempFile(file.toAbsolutePath().getParent(), file.getFileName().toString(),
                    ".part");
            try {
                HttpResponse<Path> response = HttpClient.newHttpClient().send(request("/v1/snapshot").GET().build(),
                        HttpResponse.BodyHandlers.ofFile(partial));
                if (response.statusCode() != 200) {
                    System.err.println("snapshot refused (HTTP " + response.statusCode() + "): "
                            + Files.readString(partial));
                    return 1;
                }
                Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                System.out.println("saved a snapshot at index " + response.headers().firstValue("X-Consul-Index")
                        .orElse("?") + " to " + file + " (" + Files.size(file) + " bytes)");
                return 0;
            } finally {
                Files.deleteIfExists(partial);
            }
        } catch (IOException e) {
            System.err.println("cannot save a snapshot from " + httpAddress + " to " + file + ": " + e);
            return 1;
        }
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + httpAddress + path))
                .timeout(BOUND);
        token.ifPresent(secret -> request.header("X-Consul-Token", secret));
        return request;
    }

    private int send(String what, HttpRequest.Builder request) throws InterruptedException {
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(request.build(),
                    HttpResponse.BodyHandlers.ofString());
            System.out.println(response.body());
            if (response.statusCode() != 200) {
                System.err.println(what + " refused (HTTP " + response.statusCode() + ")");
                return 1;
            }
            return 0;
        } catch (IOException e) {
            System.err.println("cannot reach the node at " + httpAddress + ": " + e);
            return 1;
        }
    }
}
