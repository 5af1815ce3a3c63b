/**
 * What Consul's operator API asks of a cluster: the Raft configuration of the group that holds the registry, the
 * removal of a dead peer, and autopilot's settings and view of server health. The HTTP front end talks to
 * {@link io.meridian.operator.RaftOperator}; the server implements it.
 */
package io.meridian.operator;
