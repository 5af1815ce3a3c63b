package io.meridian.http.wire;

import com.fasterxml.jackson.annotation.JsonAlias;

import java.util.List;
import java.util.Map;

/**
 * The body of {@code PUT /v1/agent/service/register}, in Consul's PascalCase or the lower-case form; null fields are
 * as good as absent, and fields Meridian does not use yet ({@code Kind}, {@code Proxy}, ...) are ignored.
 */
public record RegisterBody(
        String id,
        String name,
        String address,
        Integer port,
        List<String> tags,
        Map<String, String> meta,
        WeightsBody weights,
        @JsonAlias("enable_tag_override") Boolean enableTagOverride,
        CheckBody check,
        List<CheckBody> checks,
        String namespace,
        List<PortBody> ports) {
}
