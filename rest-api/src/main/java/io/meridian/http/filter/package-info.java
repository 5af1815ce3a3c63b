/** The {@code ?filter=} expressions of the lookup endpoints: a subset of Consul's filter language. */
package io.meridian.http.filter;
