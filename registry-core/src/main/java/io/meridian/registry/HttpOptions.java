package io.meridian.registry;

import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * How an HTTP check asks, as Consul's {@code Method}, {@code Header}, {@code Body} and {@code TLSSkipVerify}.
 *
 * @param method        the HTTP method, {@code GET} by default
 * @param headers       extra request headers, each with one or more values
 * @param body          the request body, empty for none
 * @param tlsSkipVerify accept any certificate from an {@code https} target
 */
public record HttpOptions(String method, Map<String, List<String>> headers, String body, boolean tlsSkipVerify)
        implements Serializable {

    public static final HttpOptions DEFAULT = new HttpOptions("GET", Map.of(), "", false);

    public HttpOptions {
        method = method == null || method.isBlank() ? "GET" : method;
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        body = body == null ? "" : body;
    }
}
