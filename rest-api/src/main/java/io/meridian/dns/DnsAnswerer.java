package io.meridian.dns;

import io.meridian.acl.Access;
import io.meridian.acl.Permissions;
import io.meridian.registry.HealthStatus;
import io.meridian.registry.InstanceEntry;
import io.meridian.registry.NamedPort;
import io.meridian.registry.Registry;
import io.meridian.registry.ServiceInstance;
import io.meridian.registry.ServiceView;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Answers one DNS query from the {@link Registry}, as Consul's DNS interface does: A, AAAA and SRV records of a
 * service's healthy instances (shuffled per answer), A and AAAA of one instance, NXDOMAIN with the SOA for a name that
 * does not exist or has no healthy instance, REFUSED outside the domain (no recursion), NOTIMP for anything but a
 * standard query. Thread-safe.
 */
public final class DnsAnswerer {

    private static final long SOA_REFRESH = 3600;
    private static final long SOA_RETRY = 600;
    private static final long SOA_EXPIRE = 86400;

    private final Registry registry;
    private final DnsSettings settings;
    private final String datacenter;
    private final Supplier<Permissions> permissions;
    private final Name domain;
    private final SOARecord soa;

    /**
     * Answers for the given datacenter only (a name with another one does not exist), and only with services the
     * permissions let it read: the others do not exist either.
     */
    public DnsAnswerer(Registry registry, DnsSettings settings, String datacenter,
                       Supplier<Permissions> permissions) {
        this.registry = registry;
        this.settings = settings;
        this.datacenter = datacenter;
        this.permissions = permissions;
        this.domain = absolute(settings.domain());
        long minimum = settings.soaMinTtl().toSeconds();
        this.soa = new SOARecord(domain, DClass.IN, minimum, absolute("ns." + settings.domain()),
                absolute("hostmaster." + settings.domain()), 1, SOA_REFRESH, SOA_RETRY, SOA_EXPIRE, minimum);
    }

    /**
     * A response, and for an answer to a service lookup, what it was made from: the same query gets the same answer
     * (but for the order of its records) while {@link #stillHeld} says that holds.
     *
     * @param basis the view the answer came from; {@code null} unless it is a service lookup's
     */
    public record Answer(Message response, Basis basis) {
    }

    /** The service view a service lookup was answered from, and the service it is of. */
    public record Basis(String namespace, String service, ServiceView view) {
    }

    /** The response to a parsed query. */
    public Answer answer(Message query) {
        Message response = new Message(query.getHeader().getID());
        response.getHeader().setFlag(Flags.QR);
        if (query.getHeader().getFlag(Flags.RD)) {
            response.getHeader().setFlag(Flags.RD);
        }
        Record question = query.getQuestion();
        if (question != null) {
            response.addRecord(question, Section.QUESTION);
        }
        if (query.getHeader().getOpcode() != Opcode.QUERY) {
            response.getHeader().setRcode(Rcode.NOTIMP);
            return new Answer(response, null);
        }
        if (question == null || question.getDClass() != DClass.IN && question.getDClass() != DClass.ANY) {
            response.getHeader().setRcode(Rcode.FORMERR);
            return new Answer(response, null);
        }
        DnsQuery asked = DnsQuery.parse(question.getName(), domain, datacenter);
        if (asked instanceof DnsQuery.OutsideDomain) {
            response.getHeader().setRcode(Rcode.REFUSED);
            return new Answer(response, null);
        }
        response.getHeader().setFlag(Flags.AA);
        if (asked instanceof DnsQuery.AddrLookup lookup) {
            addressRecord(question.getName(), lookup.address(), question.getType(), settings.ttl().toSeconds())
                    .ifPresent(record -> response.addRecord(record, Section.ANSWER));
            if (response.getSection(Section.ANSWER).isEmpty()) {
                response.addRecord(soa, Section.AUTHORITY);
            }
            return new Answer(response, null);
        }
        List<InstanceEntry> found = List.of();
        Basis basis = null;
        if (asked instanceof DnsQuery.ServiceLookup lookup) {
            basis = readableBasis(lookup);
            found = basis == null ? List.of() : healthyInstances(lookup, basis.view());
        } else if (asked instanceof DnsQuery.NodeLookup lookup) {
            found = instance(lookup);
        }
        if (found.isEmpty()) {
            response.getHeader().setRcode(Rcode.NXDOMAIN);
            response.addRecord(soa, Section.AUTHORITY);
            return new Answer(response, basis);
        }
        long ttl = asked instanceof DnsQuery.ServiceLookup lookup
                ? settings.ttlOf(lookup.service()).toSeconds() : settings.ttl().toSeconds();
        int type = question.getType();
        // A host with several instances is one address record, as in Consul; an SRV answer per instance stays.
        Set<Record> answered = new LinkedHashSet<>();
        Set<Record> additional = new LinkedHashSet<>();
        for (InstanceEntry entry : found) {
            ServiceInstance instance = entry.instance();
            if (type == Type.SRV && asked instanceof DnsQuery.ServiceLookup lookup) {
                Optional<InetAddress> ip = IpLiteral.parse(instance.address());
                Optional<Name> target = ip.map(this::addrName).or(() -> hostName(instance.address()));
                int port = lookup.port().flatMap(instance::namedPort).map(NamedPort::port).orElse(instance.port());
                target.ifPresent(name -> answered.add(new SRVRecord(question.getName(), DClass.IN, ttl, 1,
                        weightOf(instance), port, name)));
                ip.flatMap(address -> addressRecord(target.get(), address, Type.ANY, ttl)).ifPresent(additional::add);
            } else {
                IpLiteral.parse(instance.address())
                        .flatMap(address -> addressRecord(question.getName(), address, type, ttl))
                        .ifPresent(answered::add);
            }
        }
        answered.forEach(record -> response.addRecord(record, Section.ANSWER));
        additional.forEach(record -> response.addRecord(record, Section.ADDITIONAL));
        if (answered.isEmpty()) {
            response.addRecord(soa, Section.AUTHORITY);
        }
        return new Answer(response, basis);
    }

    /**
     * Whether the view this member holds for the basis's service, without reading, is still the one the answer was
     * made from: a change, or this member's own acknowledged write, gives the service a new view. Never reads the
     * cluster, never throws: no for a view that would have to be read, or a registry that fails. Says nothing of the
     * permissions, which the caller bounds by time.
     */
    public boolean stillHeld(Basis basis) {
        try {
            return registry.heldService(basis.namespace(), basis.service()).orElse(null) == basis.view();
        } catch (RuntimeException unreadable) {
            return false;
        }
    }

    /** A response of only a header: for a query whose question could not be read. */
    public static Message formatError(int id) {
        Message response = new Message(id);
        response.getHeader().setFlag(Flags.QR);
        response.getHeader().setRcode(Rcode.FORMERR);
        return response;
    }

    /** SERVFAIL: the registry could not be read. */
    public static Message serverFailure(Message query) {
        Message response = new Message(query.getHeader().getID());
        response.getHeader().setFlag(Flags.QR);
        if (query.getQuestion() != null) {
            response.addRecord(query.getQuestion(), Section.QUESTION);
        }
        response.getHeader().setRcode(Rcode.SERVFAIL);
        return response;
    }

    /** The service's view, or {@code null} if the service may not be read (so, to this client, does not exist). */
    private Basis readableBasis(DnsQuery.ServiceLookup lookup) {
        if (!permissions.get().allows(lookup.namespace(), lookup.service(), Access.READ)) {
            return null;
        }
        return new Basis(lookup.namespace(), lookup.service(),
                registry.service(lookup.namespace(), lookup.service()));
    }

    private List<InstanceEntry> healthyInstances(DnsQuery.ServiceLookup lookup, ServiceView view) {
        List<InstanceEntry> healthy = new ArrayList<>(view.instances().stream()
                .filter(entry -> isAnswered(entry.instance().health()))
                .filter(entry -> lookup.tag().isEmpty() || entry.instance().tags().stream()
                        .anyMatch(tag -> tag.toLowerCase(Locale.ROOT).equals(lookup.tag().get())))
                .filter(entry -> lookup.port().isEmpty()
                        || entry.instance().namedPort(lookup.port().get()).isPresent())
                .toList());
        Collections.shuffle(healthy);
        return healthy;
    }

    private List<InstanceEntry> instance(DnsQuery.NodeLookup lookup) {
        return registry.instanceIgnoringCase(lookup.namespace(), lookup.instanceId()).stream()
                .filter(entry -> permissions.get().allows(lookup.namespace(), entry.instance().service(),
                        Access.READ))
                .filter(entry -> isAnswered(entry.instance().health()))
                .toList();
    }

    private boolean isAnswered(HealthStatus health) {
        return health == HealthStatus.PASSING || health == HealthStatus.WARNING && !settings.onlyPassing();
    }

    private static int weightOf(ServiceInstance instance) {
        return instance.health() == HealthStatus.WARNING ? instance.weights().warning() : instance.weights().passing();
    }

    /** {@code <hex>.addr.<dc>.<domain>.}: the SRV target of an instance with an IP address. */
    private Name addrName(InetAddress address) {
        return absolute(DnsQuery.hexOf(address) + ".addr." + datacenter + "." + settings.domain());
    }

    /**
     * The SRV target of an instance whose address is a host name: the name itself, as in Consul, which the client's
     * resolver resolves. Empty for an address that is not a host name, or none: an SRV answer leaves such an instance
     * out rather than name a target that resolves to nothing.
     */
    private static Optional<Name> hostName(String address) {
        if (address.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Name.fromString(address, Name.root));
        } catch (TextParseException notAHostName) {
            return Optional.empty();
        }
    }

    /** The A or AAAA record of the address, if it is of the asked type. */
    private static Optional<Record> addressRecord(Name name, InetAddress address, int type, long ttl) {
        if (address instanceof Inet4Address v4 && (type == Type.A || type == Type.ANY)) {
            return Optional.of(new ARecord(name, DClass.IN, ttl, v4));
        }
        if (address instanceof Inet6Address v6 && (type == Type.AAAA || type == Type.ANY)) {
            return Optional.of(new AAAARecord(name, DClass.IN, ttl, v6));
        }
        return Optional.empty();
    }

    private static Name absolute(String name) {
        try {
            return Name.fromString(name.endsWith(".") ? name : name + ".");
        } catch (TextParseException e) {
            throw new IllegalArgumentException("not a DNS name: " + name, e);
        }
    }
}
