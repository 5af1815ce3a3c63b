/**
 * The Meridian server: a Hazelcast member configured for the registry (CP Subsystem, projection maps, unbatched
 * near-cache invalidations), with anti-entropy and the HTTP API wired in; the main class and the dev cluster.
 */
package io.meridian.node;
