package io.meridian.registry;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * What a probing check may reach and how it may ask: the rules that keep a registration from turning Meridian's
 * probes against the network it runs in. They are applied when a check is registered (422 naming the rule) and again
 * before every probe on the addresses its host resolves to then, so a name that later resolves elsewhere gains
 * nothing. Immutable and thread-safe.
 * <ul>
 *   <li><b>Addresses.</b> The most specific block that holds the address decides, from
 *   {@code meridian.check-allowed-networks} and {@code meridian.check-denied-networks}; at equal prefix lengths the
 *   denial wins. An address in no block is allowed if the allowed list is empty, refused otherwise.</li>
 *   <li><b>Meridian's own ports.</b> The members' Hazelcast, HTTP and DNS ports on a member's host, on loopback or
 *   on the wildcard address are refused whatever the networks say.</li>
 *   <li><b>HTTP methods.</b> GET and HEAD, and those {@code meridian.check-allowed-methods} adds. A body is sent
 *   only with an added method.</li>
 * </ul>
 */
public final class CheckTargetRules {

    /** What every HTTP check may use. */
    public static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD");
    /** Link-local blocks: cloud metadata endpoints live there. */
    public static final List<Network> LINK_LOCAL = List.of(Network.parse("169.254.0.0/16"),
            Network.parse("fe80::/10"));
    /** Loopback and the wildcard address, which reaches loopback when connected to. */
    public static final List<Network> LOOPBACK = List.of(Network.parse("127.0.0.0/8"), Network.parse("::1/128"),
            Network.parse("0.0.0.0/32"), Network.parse("::/128"));

    private final List<Network> allowed;
    private final List<Network> denied;
    private final Set<String> allowedMethods;
    private final Set<InetAddress> memberHosts;
    private final Set<Integer> memberPorts;

    /**
     * @param allowed        the allowed blocks; empty allows every address no denial holds
     * @param denied         the denied blocks
     * @param addedMethods   HTTP methods allowed besides GET and HEAD, in any case
     * @param memberHosts    the addresses Meridian's members listen on
     * @param memberPorts    the members' Hazelcast, HTTP and DNS ports
     */
    public CheckTargetRules(List<Network> allowed, List<Network> denied, Collection<String> addedMethods,
                            Collection<InetAddress> memberHosts, Collection<Integer> memberPorts) {
        this.allowed = List.copyOf(allowed);
        this.denied = List.copyOf(denied);
        this.allowedMethods = Set.copyOf(Stream.concat(SAFE_METHODS.stream(),
                addedMethods.stream().map(method -> method.trim().toUpperCase(Locale.ROOT))).toList());
        this.memberHosts = Set.copyOf(memberHosts);
        this.memberPorts = Set.copyOf(memberPorts);
    }

    /** The rules of {@code meridian node} with nothing configured: link-local and loopback denied. */
    public static List<Network> nodeDefaultDenied() {
        return Stream.concat(LINK_LOCAL.stream(), LOOPBACK.stream()).toList();
    }

    /**
     * Every rule the probing checks among {@code checks} break, resolving their hosts now; a host that does not
     * resolve breaks none here, and is judged at each probe.
     */
    public List<String> violations(Collection<Check> checks) {
        List<String> violations = new ArrayList<>();
        for (Check check : checks) {
            if (!check.kind().isProbe()) {
                continue;
            }
            String name = "check '" + check.id() + "'";
            methodRefusal(check).ifPresent(rule -> violations.add(name + ": " + rule));
            Optional<CheckTarget> target = CheckTarget.of(check);
            if (target.isEmpty()) {
                continue;
            }
            try {
                for (InetAddress address : InetAddress.getAllByName(target.get().host())) {
                    refusal(address, target.get().port()).ifPresent(rule -> violations.add(name + ": " + rule));
                }
            } catch (UnknownHostException unresolved) {
                // judged again at every probe, when it may resolve
            }
        }
        return violations;
    }

    /**
     * @throws InvalidRegistrationException naming each rule the checks break
     */
    public void requireAllowed(Collection<Check> checks) {
        List<String> violations = violations(checks);
        if (!violations.isEmpty()) {
            throw new InvalidRegistrationException(violations);
        }
    }

    /** Why an HTTP check may not ask the way it does (its method, its body), or empty if it may. */
    public Optional<String> methodRefusal(Check check) {
        if (check.kind() != CheckKind.HTTP) {
            return Optional.empty();
        }
        String method = check.http().method().toUpperCase(Locale.ROOT);
        if (!allowedMethods.contains(method)) {
            return Optional.of("method " + method + " is not allowed (meridian.check-allowed-methods: "
                    + new TreeSet<>(allowedMethods) + ")");
        }
        if (!check.http().body().isEmpty() && SAFE_METHODS.contains(method)) {
            return Optional.of("a body is sent only with a method that meridian.check-allowed-methods adds to GET"
                    + " and HEAD");
        }
        return Optional.empty();
    }

    /** Why a probe may not connect to that address and port, or empty if it may. */
    public Optional<String> refusal(InetAddress address, int port) {
        String where = address.getHostAddress() + ":" + port;
        if (memberPorts.contains(port) && (memberHosts.contains(address) || address.isLoopbackAddress()
                || address.isAnyLocalAddress())) {
            return Optional.of("target " + where + " is a Meridian member's own port");
        }
        Comparator<Network> specificity = Comparator.comparingInt(Network::prefixLength);
        Optional<Network> deniedBy = denied.stream().filter(network -> network.contains(address)).max(specificity);
        Optional<Network> allowedBy = allowed.stream().filter(network -> network.contains(address)).max(specificity);
        if (deniedBy.isPresent() && (allowedBy.isEmpty()
                || allowedBy.get().prefixLength() <= deniedBy.get().prefixLength())) {
            return Optional.of("target " + where + " is in " + deniedBy.get()
                    + " of meridian.check-denied-networks");
        }
        if (allowedBy.isEmpty() && !allowed.isEmpty()) {
            return Optional.of("target " + where + " is in none of meridian.check-allowed-networks " + allowed);
        }
        return Optional.empty();
    }
}
