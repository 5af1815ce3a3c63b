/**
 * The Java SDK: a {@link io.meridian.client.DiscoveryClient} on a Hazelcast client whose near cache on the registry's
 * projection answers lookups from memory, and whose watches are pushed by entry-listener events.
 */
package io.meridian.client;
