package io.meridian.dns;

import io.meridian.acl.Access;
import io.meridian.acl.Permissions;
import io.meridian.registry.HealthStatus;
import io.meridian.registry.InstanceEntry;
import io.meridian.registry.Registry;
import io.meridian.registry.ServiceInstance;
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
import java.util.List;
import java.util.Locale;
import java.util.Optional;
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

    /** The response to a parsed query. */
    public Message answer(Message query) {
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
            return response;
        }
        if (question == null || question.getDClass() != DClass.IN && question.getDClass() != DClass.ANY) {
            response.getHeader().setRcode(Rcode.FORMERR);
            return response;
        }
        DnsQuery asked = DnsQuery.parse(question.getName(), domain, datacenter);
        if (asked instanceof DnsQuery.OutsideDomain) {
            response.getHeader().setRcode(Rcode.REFUSED);
            return response;
        }
        response.getHeader().setFlag(Flags.AA);
        List<InstanceEntry> found = List.of();
        if (asked instanceof DnsQuery.ServiceLookup lookup) {
            found = healthyInstances(lookup);
        } else if (asked instanceof DnsQuery.NodeLookup lookup) {
            found = instance(lookup);
        }
        if (found.isEmpty()) {
            response.getHeader().setRcode(Rcode.NXDOMAIN);
            response.addRecord(soa, Section.AUTHORITY);
            return response;
        }
        long ttl = asked instanceof DnsQuery.ServiceLookup lookup
                ? settings.ttlOf(lookup.service()).toSeconds() : settings.ttl().toSeconds();
        int type = question.getType();
        for (InstanceEntry entry : found) {
            ServiceInstance instance = entry.instance();
            if (type == Type.SRV && asked instanceof DnsQuery.ServiceLookup) {
                Name target = nodeName(instance);
                response.addRecord(new SRVRecord(question.getName(), DClass.IN, ttl, 1, weightOf(instance),
                        instance.port(), target), Section.ANSWER);
                address(target, instance, Type.ANY, ttl).ifPresent(a -> response.addRecord(a, Section.ADDITIONAL));
            } else {
                address(question.getName(), instance, type, ttl)
                        .ifPresent(a -> response.addRecord(a, Section.ANSWER));
            }
        }
        if (response.getSection(Section.ANSWER).isEmpty()) {
            response.addRecord(soa, Section.AUTHORITY);
        }
        return response;
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

    private List<InstanceEntry> healthyInstances(DnsQuery.ServiceLookup lookup) {
        if (!permissions.get().allows(lookup.namespace(), lookup.service(), Access.READ)) {
            return List.of();
        }
        List<InstanceEntry> healthy = new ArrayList<>(registry.service(lookup.namespace(), lookup.service())
                        .instances().stream()
                .filter(entry -> isAnswered(entry.instance().health()))
                .filter(entry -> lookup.tag().isEmpty() || entry.instance().tags().stream()
                        .anyMatch(tag -> tag.toLowerCase(Locale.ROOT).equals(lookup.tag().get())))
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

    /** {@code <instance-id>.node[.<namespace>.ns].<dc>.<domain>.}, the target of an instance's SRV record. */
    private Name nodeName(ServiceInstance instance) {
        String namespace = instance.namespace().equals(ServiceInstance.DEFAULT_NAMESPACE) ? ""
                : "." + instance.namespace() + ".ns";
        return absolute(instance.id() + ".node" + namespace + "." + datacenter + "." + settings.domain());
    }

    /** The A or AAAA record of the instance's address, if it is an IP address of the asked type. */
    private static Optional<Record> address(Name name, ServiceInstance instance, int type, long ttl) {
        Optional<InetAddress> address = IpLiteral.parse(instance.address());
        if (address.isEmpty()) {
            return Optional.empty();
        }
        if (address.get() instanceof Inet4Address v4 && (type == Type.A || type == Type.ANY)) {
            return Optional.of(new ARecord(name, DClass.IN, ttl, v4));
        }
        if (address.get() instanceof Inet6Address v6 && (type == Type.AAAA || type == Type.ANY)) {
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
