package io.meridian.dns;

import org.xbill.DNS.Address;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/** Reads an IP address literal without ever asking a resolver: host names are not addresses here. */
final class IpLiteral {

    private IpLiteral() {
    }

    static Optional<InetAddress> parse(String text) {
        String bare = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        for (int family : new int[] {Address.IPv4, Address.IPv6}) {
            byte[] bytes = Address.toByteArray(bare, family);
            if (bytes != null) {
                try {
                    return Optional.of(InetAddress.getByAddress(bytes));
                } catch (UnknownHostException impossible) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }
}
