package io.meridian.node;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * {@code meridian operator recover}: asks the node at the HTTP address to recover from a lost CP majority
 * ({@code PUT /v1/operator/recover}, with the management token under default-deny) and prints its report of what it
 * put back and what it could not, or why it refused.
 */
final class OperatorCommand {

    /** A reset, a new CP group's first election and one commit per registration. */
    private static final Duration RECOVERY_BOUND = Duration.ofMinutes(5);

    private OperatorCommand() {
    }

    /** @return the process exit status: 0 if the node recovered, 1 if it refused or could not be reached */
    static int recover(String httpAddress, Optional<String> token) throws InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + httpAddress
                        + "/v1/operator/recover"))
                .timeout(RECOVERY_BOUND)
                .PUT(HttpRequest.BodyPublishers.noBody());
        token.ifPresent(secret -> request.header("X-Consul-Token", secret));
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(request.build(),
                    HttpResponse.BodyHandlers.ofString());
            System.out.println(response.body());
            if (response.statusCode() != 200) {
                System.err.println("recovery refused (HTTP " + response.statusCode() + ")");
                return 1;
            }
            return 0;
        } catch (IOException e) {
            System.err.println("cannot reach the node at " + httpAddress + ": " + e);
            return 1;
        }
    }
}
