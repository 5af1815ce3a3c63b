/**
 * Durability: each member's journal and snapshot on disk ({@link io.meridian.registry.durable.DiskJournal}), the
 * writer's side that acknowledges a write once a majority of members has it on disk
 * ({@link io.meridian.registry.durable.ReplicatedJournal}), and the format of the state they hold: keys to values
 * with the index that made them, merged by keeping the higher index.
 */
package io.meridian.registry.durable;
