package io.meridian.faults;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A private network inside this machine: one bridge in the root namespace and one network namespace per member, each
 * joined to the bridge by a veth pair, on a /24 of 10.231.0.0/16 that no interface here uses. The root namespace (the
 * workload's clients) reaches every member through the bridge, whatever faults are in place: faults act inside the
 * members' namespaces, on member-to-member traffic only.
 *
 * <p>{@link #close()} removes every namespace and link it made, and so does a JVM shutdown hook if the run dies first.
 * Needs root, {@code ip} and {@code iptables}; delays also need gcc and libnetfilter-queue-dev (see
 * {@link PacketDelayer}). Not thread-safe: one fault schedule drives a lab.
 */
public final class NetworkLab implements AutoCloseable {

    private static final int DELAY_QUEUE = 0;

    private final String id;
    private final int subnet;
    private final int size;
    private final Thread cleanupOnExit = new Thread(this::removeAll, "network-lab-cleanup");
    private final Map<Integer, PacketDelayer> delayers = new HashMap<>();
    private boolean closed;

    private NetworkLab(String id, int subnet, int size) {
        this.id = id;
        this.subnet = subnet;
        this.size = size;
    }

    /** Makes the bridge and {@code size} namespaces, each with loopback up and its address on the bridge. */
    public static NetworkLab create(int size) {
        requireTools();
        String used = Shell.run("ip", "-o", "-4", "addr", "show");
        int subnet;
        do {
            subnet = ThreadLocalRandom.current().nextInt(1, 255);
        } while (used.contains(" 10.231." + subnet + "."));
        NetworkLab lab = new NetworkLab(Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0x10000)),
                subnet, size);
        Runtime.getRuntime().addShutdownHook(lab.cleanupOnExit);
        try {
            lab.build();
        } catch (RuntimeException e) {
            lab.close();
            throw e;
        }
        return lab;
    }

    /** Fails with what is missing unless this process may make namespaces and has the tools. */
    public static void requireTools() {
        if (!"root".equals(System.getProperty("user.name"))) {
            throw new IllegalStateException("network namespaces need root; this runs as "
                    + System.getProperty("user.name"));
        }
        for (String tool : List.of("ip", "iptables")) {
            if (Shell.attempt("sh", "-c", "command -v " + tool) == null) {
                throw new IllegalStateException(tool + " is missing: apt-get install iproute2 iptables");
            }
        }
    }

    private void build() {
        Shell.run("ip", "link", "add", bridge(), "type", "bridge");
        Shell.run("ip", "addr", "add", hostAddress() + "/24", "dev", bridge());
        Shell.run("ip", "link", "set", bridge(), "up");
        for (int i = 0; i < size; i++) {
            String ns = namespace(i);
            Shell.run("ip", "netns", "add", ns);
            Shell.run("ip", "link", "add", hostEnd(i), "type", "veth", "peer", "name", "eth0", "netns", ns);
            Shell.run("ip", "link", "set", hostEnd(i), "master", bridge());
            Shell.run("ip", "link", "set", hostEnd(i), "up");
            Shell.run("ip", "netns", "exec", ns, "ip", "addr", "add", address(i) + "/24", "dev", "eth0");
            Shell.run("ip", "netns", "exec", ns, "ip", "link", "set", "eth0", "up");
            Shell.run("ip", "netns", "exec", ns, "ip", "link", "set", "lo", "up");
        }
    }

    public int size() {
        return size;
    }

    /** Member {@code i}'s address, inside its namespace. */
    public String address(int i) {
        return "10.231." + subnet + "." + (11 + i);
    }

    /** The root namespace's address on the bridge: where the workload's requests come from. */
    public String hostAddress() {
        return "10.231." + subnet + ".1";
    }

    /** The name of member {@code i}'s namespace, for {@code ip netns exec}. */
    public String namespace(int i) {
        return "mrdn-" + id + "-" + i;
    }

    /** Drops all traffic between members {@code a} and {@code b}, both ways; each keeps reaching the clients. */
    public void cut(int a, int b) {
        drop(a, b);
        drop(b, a);
    }

    /** Splits the members into the given sides: every pair of members on different sides is cut. */
    public void partition(Collection<Set<Integer>> sides) {
        List<Set<Integer>> all = new ArrayList<>(sides);
        for (int x = 0; x < all.size(); x++) {
            for (int y = x + 1; y < all.size(); y++) {
                for (int a : all.get(x)) {
                    for (int b : all.get(y)) {
                        cut(a, b);
                    }
                }
            }
        }
    }

    /** Cuts member {@code i} off from every other member. */
    public void isolate(int i) {
        Set<Integer> others = new HashSet<>();
        for (int other = 0; other < size; other++) {
            if (other != i) {
                others.add(other);
            }
        }
        partition(List.of(Set.of(i), others));
    }

    /** A bridge partition: {@code middle} sees everyone, and every other pair of members is cut. */
    public void bridge(int middle) {
        for (int a = 0; a < size; a++) {
            for (int b = a + 1; b < size; b++) {
                if (a != middle && b != middle) {
                    cut(a, b);
                }
            }
        }
    }

    /**
     * Delays every packet member {@code i} sends on its interface by {@code delay}, to members and clients alike: an
     * iptables {@code NFQUEUE} rule hands them to a {@link PacketDelayer} in its namespace. (Not {@code tc netem}:
     * this machine's kernel is built without it, and netfilter queues are in every kernel that has iptables.)
     */
    public void delay(int i, Duration delay) {
        if (delayers.containsKey(i)) {
            throw new IllegalStateException("member " + i + " is delayed already; heal first");
        }
        delayers.put(i, PacketDelayer.start(namespace(i), DELAY_QUEUE, delay));
        Shell.run("ip", "netns", "exec", namespace(i), "iptables", "-A", "OUTPUT", "-o", "eth0", "-j", "NFQUEUE",
                "--queue-num", Integer.toString(DELAY_QUEUE));
    }

    /** Removes every cut and delay; the packets a delay holds still go out. */
    public void heal() {
        for (int i = 0; i < size; i++) {
            Shell.run("ip", "netns", "exec", namespace(i), "iptables", "-F");
        }
        stopDelayers();
    }

    private void stopDelayers() {
        delayers.values().forEach(PacketDelayer::close);
        delayers.clear();
    }

    private void drop(int at, int peer) {
        String ns = namespace(at);
        Shell.run("ip", "netns", "exec", ns, "iptables", "-A", "INPUT", "-s", address(peer), "-j", "DROP");
        Shell.run("ip", "netns", "exec", ns, "iptables", "-A", "OUTPUT", "-d", address(peer), "-j", "DROP");
    }

    private String bridge() {
        return "mrdn-br-" + id;
    }

    private String hostEnd(int i) {
        return "mrdn-" + id + "-" + i;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        removeAll();
        try {
            Runtime.getRuntime().removeShutdownHook(cleanupOnExit);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs or ran: nothing left to undo
        }
    }

    private synchronized void removeAll() {
        if (closed) {
            return;
        }
        closed = true;
        stopDelayers();
        for (int i = 0; i < size; i++) {
            Shell.attempt("ip", "link", "del", hostEnd(i));
            Shell.attempt("ip", "netns", "del", namespace(i));
        }
        Shell.attempt("ip", "link", "del", bridge());
    }
}
