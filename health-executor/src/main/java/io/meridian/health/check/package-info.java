/**
 * Running one check: the probes (HTTP, TCP) that ask an instance how it is, and the damping that turns a run of
 * results into a status. Nothing here knows about scheduling or the cluster.
 */
package io.meridian.health.check;
