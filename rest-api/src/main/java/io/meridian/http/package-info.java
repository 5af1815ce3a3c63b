/**
 * The Consul-compatible HTTP API: routes, blocking queries and the one JSON error shape, in front of a
 * {@link io.meridian.registry.Registry}. It never touches Hazelcast directly, so it runs inside a member or as a
 * stateless tier of clients.
 */
package io.meridian.http;
