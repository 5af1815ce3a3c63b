package io.meridian.registry.grid;

import java.util.HashMap;

/**
 * What anti-entropy compares of one committed shard, read in one query ({@link ReadDigest}): the index of each of its
 * service parts, and where each of its checks is as the check index holds it ({@code namespace/checkId} to
 * {@code namespace/service/instanceId}).
 */
record ShardDigest(HashMap<String, Long> partIndexes, HashMap<String, String> checkLocations) {
}
