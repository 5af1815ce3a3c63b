/**
 * The registry's public contract: the data model of registered instances, the rules a registration must follow,
 * and the {@link io.meridian.registry.Registry} interface that the HTTP API, the DNS server and the SDK all ask.
 */
package io.meridian.registry;
