package io.meridian.http;

import io.meridian.registry.CheckTargetRules;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How the HTTP API presents itself and bounds its requests.
 *
 * @param datacenter     the datacenter name Consul clients see ({@code dc1} by default)
 * @param nodeName       this node's name, shown as the agent's {@code NodeName}
 * @param maxBodyBytes   the largest request body accepted; larger ones get 413
 * @param defaultWait    how long a blocking query waits when it gives no {@code wait}
 * @param maxWait        the longest a blocking query may wait
 * @param rateLimits     requests per second per client address
 * @param tls            the certificate and key to serve HTTPS with; empty for plain HTTP
 * @param acl            whether requests need tokens
 * @param zone           this node's zone, which {@code ?near=_agent} puts first; empty if it has none
 * @param checkTargets   what the probing checks of a registration may reach and how
 */
public record ApiSettings(String datacenter, String nodeName, int maxBodyBytes, Duration defaultWait,
                          Duration maxWait, RateLimits rateLimits, Optional<PemFiles> tls, AclSettings acl,
                          Optional<String> zone, CheckTargetRules checkTargets) {

    /** Check targets as {@code meridian dev} has them: link-local denied, the rest allowed, GET and HEAD only. */
    public static final CheckTargetRules DEV_CHECK_TARGETS = new CheckTargetRules(List.of(),
            CheckTargetRules.LINK_LOCAL, List.of(), List.of(), List.of());

    public ApiSettings {
        Objects.requireNonNull(datacenter, "datacenter");
        Objects.requireNonNull(nodeName, "nodeName");
        Objects.requireNonNull(rateLimits, "rateLimits");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(acl, "acl");
        Objects.requireNonNull(zone, "zone");
        Objects.requireNonNull(checkTargets, "checkTargets");
    }

    /**
     * Consul's defaults: {@code dc1}, 64 KiB bodies, blocking queries of 5 minutes and at most 10; no rate limits,
     * plain HTTP, default-allow; the check targets of {@code meridian dev}.
     */
    public static ApiSettings defaults(String nodeName) {
        return new ApiSettings("dc1", nodeName, 64 * 1024, Duration.ofMinutes(5), Duration.ofMinutes(10),
                RateLimits.NONE, Optional.empty(), AclSettings.ALLOW_ALL, Optional.empty(), DEV_CHECK_TARGETS);
    }

    /** These settings with other rate limits. */
    public ApiSettings withRateLimits(RateLimits limits) {
        return new ApiSettings(datacenter, nodeName, maxBodyBytes, defaultWait, maxWait, limits, tls, acl, zone,
                checkTargets);
    }

    /** These settings serving HTTPS with the PEM files. */
    public ApiSettings withTls(PemFiles files) {
        return new ApiSettings(datacenter, nodeName, maxBodyBytes, defaultWait, maxWait, rateLimits,
                Optional.of(files), acl, zone, checkTargets);
    }

    /** These settings with other ACL settings. */
    public ApiSettings withAcl(AclSettings settings) {
        return new ApiSettings(datacenter, nodeName, maxBodyBytes, defaultWait, maxWait, rateLimits, tls, settings,
                zone, checkTargets);
    }

    /** These settings with other rules for check targets. */
    public ApiSettings withCheckTargets(CheckTargetRules rules) {
        return new ApiSettings(datacenter, nodeName, maxBodyBytes, defaultWait, maxWait, rateLimits, tls, acl, zone,
                rules);
    }

    /** These settings for a node in that zone. */
    public ApiSettings withZone(String nodeZone) {
        return new ApiSettings(datacenter, nodeName, maxBodyBytes, defaultWait, maxWait, rateLimits, tls, acl,
                Optional.of(nodeZone), checkTargets);
    }
}
