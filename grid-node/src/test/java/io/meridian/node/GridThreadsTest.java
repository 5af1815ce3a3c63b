package io.meridian.node;

import com.hazelcast.config.Config;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The Hazelcast thread counts a member gets for the cores its JVM may use. */
class GridThreadsTest {

    @Test
    void aSmallShareOfCoresGetsOnePartitionThreadAndOneIoThreadEachWay() {
        for (int cores : new int[] {1, 2}) {
            Config config = new Config();

            GridThreads.size(config, cores);

            assertEquals("1", config.getProperties().getProperty("hazelcast.operation.thread.count"), cores + " cores");
            assertEquals("1", config.getProperties().getProperty("hazelcast.io.thread.count"), cores + " cores");
        }
    }

    @Test
    void moreCoresGetMorePartitionThreadsAndUpToHazelcastsThreeIoThreads() {
        Config four = new Config();
        Config sixteen = new Config();

        GridThreads.size(four, 4);
        GridThreads.size(sixteen, 16);

        assertEquals("3", four.getProperties().getProperty("hazelcast.operation.thread.count"));
        assertEquals("2", four.getProperties().getProperty("hazelcast.io.thread.count"));
        assertEquals("15", sixteen.getProperties().getProperty("hazelcast.operation.thread.count"));
        assertEquals("3", sixteen.getProperties().getProperty("hazelcast.io.thread.count"));
    }

    @Test
    void aCountGivenOnTheCommandLineIsLeftAsGiven() {
        System.setProperty("hazelcast.io.thread.count", "2");
        try {
            Config config = new Config();

            GridThreads.size(config, 2);

            assertNull(config.getProperties().getProperty("hazelcast.io.thread.count"));
            assertEquals("1", config.getProperties().getProperty("hazelcast.operation.thread.count"));
        } finally {
            System.clearProperty("hazelcast.io.thread.count");
        }
    }
}
