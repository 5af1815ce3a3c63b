package io.meridian.client;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * What {@link DiscoveryClient.Builder} collected.
 *
 * @param singleConnection  talk to the cluster through one connection to a given address only
 * @param snapshotDirectory where the client keeps its snapshot; {@code null} for none
 * @param startTimeout      how long a client without a snapshot waits for a member when it starts
 */
record ClientSettings(List<String> members, boolean singleConnection, String clusterName, String namespace,
                      Duration nearCacheTtl, Duration ejectFor, Clock clock, Path snapshotDirectory,
                      Duration snapshotEvery, Duration registrationTtl, Duration deregisterCriticalAfter,
                      Duration drainOnShutdown, Duration startTimeout) {

    ClientSettings {
        members = List.copyOf(members);
    }
}
