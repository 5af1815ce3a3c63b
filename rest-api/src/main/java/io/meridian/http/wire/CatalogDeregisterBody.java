package io.meridian.http.wire;

/**
 * The body of {@code PUT /v1/catalog/deregister}: a node, and a service or a check of it; the node alone removes every
 * instance registered for it.
 */
public record CatalogDeregisterBody(String node, String serviceId, String checkId, String namespace) {
}
