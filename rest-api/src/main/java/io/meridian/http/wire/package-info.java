/** The JSON shapes Consul clients send and expect, and their translation to and from the registry's records. */
package io.meridian.http.wire;
