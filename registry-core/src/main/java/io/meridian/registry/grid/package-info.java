/**
 * The registry on Hazelcast: the committed state in CP {@code IAtomicReference} shards (Raft), the read projection in
 * AP {@code IMap}s that follow it forward by index, the shared waiters of blocking queries, and the anti-entropy
 * that repairs the projection. Works on any {@code HazelcastInstance}, member or client; anti-entropy runs on members.
 */
package io.meridian.registry.grid;
