package io.meridian.dns;

import io.meridian.registry.ServiceInstance;
import org.xbill.DNS.Name;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What a question's name asks for, read relative to the served domain:
 * <ul>
 *   <li>{@code [tag.]name.service[.dc].consul} and the RFC 2782 form {@code _name._tag.service[.dc].consul}
 *       ({@code _tcp} meaning any tag): the instances of a service;</li>
 *   <li>{@code [tag.]name.service.<namespace>.ns[.dc].consul}: the same in another namespace than {@code default};</li>
 *   <li>{@code <port-name>.port.name.service[...]}: the instances with a named port of that name (Consul 1.22), SRV
 *       answers giving that port;</li>
 *   <li>{@code <instance-id>.node[.<namespace>.ns][.dc].consul}: the address of one instance;</li>
 *   <li>{@code <hex>.addr[.dc].consul}: the IP address spelled in hex (8 digits for IPv4, 32 for IPv6), as in Consul:
 *       the target of SRV answers for instances with an IP address, which resolves whatever the instance's id.</li>
 * </ul>
 */
sealed interface DnsQuery {

    /**
     * The instances of a service: those with the tag if one is given, those with a named port of that name if one is.
     */
    record ServiceLookup(String namespace, String service, Optional<String> tag, Optional<String> port)
            implements DnsQuery {

        ServiceLookup(String namespace, String service, Optional<String> tag) {
            this(namespace, service, tag, Optional.empty());
        }
    }

    /** One instance's address, by its id. */
    record NodeLookup(String namespace, String instanceId) implements DnsQuery {
    }

    /** An IP address spelled in hex. */
    record AddrLookup(InetAddress address) implements DnsQuery {
    }

    /** A name in the domain that cannot exist: NXDOMAIN. */
    record NoSuchName() implements DnsQuery {
    }

    /** A name outside the domain: refused, since this server does not recurse. */
    record OutsideDomain() implements DnsQuery {
    }

    static DnsQuery parse(Name name, Name domain, String datacenter) {
        if (!name.subdomain(domain)) {
            return new OutsideDomain();
        }
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < name.labels() - domain.labels(); i++) {
            labels.add(name.getLabelString(i).toLowerCase(Locale.ROOT));
        }
        if (!labels.isEmpty() && !List.of("service", "node", "ns", "addr").contains(last(labels))) {
            if (!last(labels).equals(datacenter.toLowerCase(Locale.ROOT))) {
                return new NoSuchName();
            }
            labels.remove(labels.size() - 1);
        }
        String namespace = ServiceInstance.DEFAULT_NAMESPACE;
        if (labels.size() >= 2 && last(labels).equals("ns")) {
            namespace = labels.get(labels.size() - 2);
            labels = labels.subList(0, labels.size() - 2);
        }
        if (labels.size() < 2) {
            return new NoSuchName();
        }
        String kind = last(labels);
        List<String> rest = labels.subList(0, labels.size() - 1);
        if (kind.equals("addr")) {
            return rest.size() == 1 ? addr(rest.get(0)) : new NoSuchName();
        }
        if (kind.equals("node")) {
            return new NodeLookup(namespace, String.join(".", rest));
        }
        if (kind.equals("service") && rest.size() == 3 && rest.get(1).equals("port")) {
            return new ServiceLookup(namespace, rest.get(2), Optional.empty(), Optional.of(rest.get(0)));
        }
        if (!kind.equals("service") || rest.size() > 2) {
            return new NoSuchName();
        }
        if (rest.size() == 1) {
            return new ServiceLookup(namespace, rest.get(0), Optional.empty());
        }
        if (rest.get(0).startsWith("_") && rest.get(1).startsWith("_")) {
            String tag = rest.get(1).substring(1);
            return new ServiceLookup(namespace, rest.get(0).substring(1),
                    tag.equals("tcp") ? Optional.empty() : Optional.of(tag));
        }
        return new ServiceLookup(namespace, rest.get(1), Optional.of(rest.get(0)));
    }

    /** The address the hex label spells, or no such name. */
    private static DnsQuery addr(String hex) {
        if (hex.length() != 8 && hex.length() != 32 || !hex.matches("[0-9a-f]+")) {
            return new NoSuchName();
        }
        try {
            return new AddrLookup(InetAddress.getByAddress(HexFormat.of().parseHex(hex)));
        } catch (UnknownHostException e) {
            return new NoSuchName();
        }
    }

    /** The hex label of an IP address, for {@code <hex>.addr} names. */
    static String hexOf(InetAddress address) {
        return HexFormat.of().formatHex(address.getAddress());
    }

    private static String last(List<String> labels) {
        return labels.get(labels.size() - 1);
    }
}
