/**
 * Meridian's benchmark harness: closed-loop load over HTTP or the Registry API against a cluster on loopback, with
 * exact percentiles. Run through {@code load-tests/run.sh}; each benchmark prints the lines quoted in the READMEs.
 */
package io.meridian.load;
