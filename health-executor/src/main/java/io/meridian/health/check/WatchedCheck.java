package io.meridian.health.check;

import io.meridian.registry.Check;

/**
 * A check as a prober is asked about it: the check, whose instance it belongs to, and since when this member has
 * watched it (a TTL check never renewed lapses one TTL after that).
 *
 * @param namespace   the instance's namespace
 * @param instanceId  the instance's id
 * @param check       the check's definition, with its committed status
 * @param sinceMillis when this member started watching it, epoch milliseconds
 */
public record WatchedCheck(String namespace, String instanceId, Check check, long sinceMillis) {
}
