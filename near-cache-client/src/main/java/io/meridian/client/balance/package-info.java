/**
 * Load balancing over the healthy instances of a service: each strategy is one small {@link
 * io.meridian.client.balance.LoadBalancer}, and strategies wrap one another (zone first, canary share).
 */
package io.meridian.client.balance;
