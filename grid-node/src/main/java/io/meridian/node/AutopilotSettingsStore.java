package io.meridian.node;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.meridian.operator.AutopilotSettings;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Autopilot's settings, shared by every member through an AP map with a backup on every member, so they can be read
 * and changed while the CP Subsystem has no majority, which is when they matter most. Until an operator changes them,
 * the node's configured defaults are in force. Thread-safe.
 */
final class AutopilotSettingsStore {

    static final String MAP = "meridian-autopilot";
    private static final String KEY = "settings";

    private final IMap<String, HashMap<String, String>> map;
    private final AutopilotSettings defaults;

    AutopilotSettingsStore(HazelcastInstance member, AutopilotSettings defaults) {
        this.map = member.getMap(MAP);
        this.defaults = defaults;
    }

    AutopilotSettings current() {
        Map<String, String> stored = map.get(KEY);
        if (stored == null) {
            return defaults;
        }
        return new AutopilotSettings(Boolean.parseBoolean(stored.get("cleanupDeadServers")),
                Duration.parse(stored.get("lastContactThreshold")), Long.parseLong(stored.get("maxTrailingLogs")),
                Integer.parseInt(stored.get("minQuorum")), Duration.parse(stored.get("serverStabilizationTime")),
                Duration.parse(stored.get("deadServerThreshold")));
    }

    void replace(AutopilotSettings settings) {
        HashMap<String, String> stored = new HashMap<>();
        stored.put("cleanupDeadServers", Boolean.toString(settings.cleanupDeadServers()));
        stored.put("lastContactThreshold", settings.lastContactThreshold().toString());
        stored.put("maxTrailingLogs", Long.toString(settings.maxTrailingLogs()));
        stored.put("minQuorum", Integer.toString(settings.minQuorum()));
        stored.put("serverStabilizationTime", settings.serverStabilizationTime().toString());
        stored.put("deadServerThreshold", settings.deadServerThreshold().toString());
        map.set(KEY, stored);
    }
}
