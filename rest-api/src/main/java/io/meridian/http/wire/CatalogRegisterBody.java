package io.meridian.http.wire;

import java.util.List;

/**
 * The body of {@code PUT /v1/catalog/register}, as registrators send it on behalf of services: the node they act for,
 * its address, the service, and checks whose status they set themselves. Fields Meridian does not use
 * ({@code Datacenter}, {@code TaggedAddresses}, {@code NodeMeta}, {@code SkipNodeUpdate}, ...) are ignored.
 */
public record CatalogRegisterBody(
        String node,
        String address,
        CatalogServiceBody service,
        CheckBody check,
        List<CheckBody> checks) {

    /** The {@code Service} of a catalog registration: {@code Service} is the service's name there. */
    public record CatalogServiceBody(
            String id,
            String service,
            String address,
            Integer port,
            List<String> tags,
            java.util.Map<String, String> meta,
            WeightsBody weights,
            Boolean enableTagOverride,
            String namespace,
            List<PortBody> ports) {
    }
}
