/** The DNS interface: Consul's service and node names answered from the registry over UDP and TCP, with dnsjava. */
package io.meridian.dns;
