package io.meridian.dns;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How the DNS interface answers.
 *
 * @param domain      the domain it serves ({@code consul}); names outside it are refused
 * @param onlyPassing leave out warning instances too, as Consul's {@code only_passing}; critical ones (maintenance
 *                    and draining included) are always left out
 * @param ttl         the TTL of service and node records
 * @param serviceTtls TTLs of the records of particular services, by service name
 * @param soaMinTtl   the SOA's minimum TTL: how long a resolver may cache that a name does not exist
 */
public record DnsSettings(String domain, boolean onlyPassing, Duration ttl,
                          Map<String, Duration> serviceTtls, Duration soaMinTtl) {

    public DnsSettings {
        Objects.requireNonNull(domain, "domain");
        serviceTtls = Map.copyOf(serviceTtls);
    }

    /** Consul's defaults: {@code consul}, warning instances answered, TTLs of 0. */
    public static DnsSettings defaults() {
        return new DnsSettings("consul", false, Duration.ZERO, Map.of(), Duration.ZERO);
    }

    /** The TTL of a service's records. */
    Duration ttlOf(String service) {
        return serviceTtls.getOrDefault(service, ttl);
    }
}
