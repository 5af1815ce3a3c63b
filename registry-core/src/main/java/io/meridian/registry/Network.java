package io.meridian.registry;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * A block of IP addresses in CIDR notation ({@code 10.0.0.0/8}, {@code fe80::/10}); a bare address is a block of
 * one. IPv4 and IPv6 blocks never contain each other's addresses. Immutable.
 *
 * @param base         the block's first address, with the bits past the prefix cleared
 * @param prefixLength how many leading bits every address of the block shares
 */
public record Network(InetAddress base, int prefixLength) {

    /**
     * Parses {@code address/prefix} or a bare address. Only literal addresses are accepted: a host name would make
     * the block depend on DNS.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static Network parse(String text) {
        String trimmed = text.trim();
        int slash = trimmed.indexOf('/');
        String address = slash < 0 ? trimmed : trimmed.substring(0, slash);
        if (address.isEmpty() || !address.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == '.' || c == ':')) {
            throw new IllegalArgumentException("'" + text + "' is not an IP address or CIDR block");
        }
        byte[] bytes;
        try {
            bytes = InetAddress.getByName(address).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + text + "' is not an IP address or CIDR block");
        }
        int prefix;
        try {
            prefix = slash < 0 ? bytes.length * 8 : Integer.parseInt(trimmed.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' has no prefix length after the '/'");
        }
        if (prefix < 0 || prefix > bytes.length * 8) {
            throw new IllegalArgumentException("'" + text + "' has a prefix length outside 0-" + bytes.length * 8);
        }
        try {
            return new Network(InetAddress.getByAddress(masked(bytes, prefix)), prefix);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("a 4- or 16-byte address is always accepted", e);
        }
    }

    /** Whether the address is in this block. */
    public boolean contains(InetAddress address) {
        byte[] bytes = address.getAddress();
        return bytes.length == base.getAddress().length && Arrays.equals(masked(bytes, prefixLength),
                base.getAddress());
    }

    private static byte[] masked(byte[] address, int prefix) {
        byte[] result = address.clone();
        for (int bit = prefix; bit < result.length * 8; bit++) {
            result[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
        }
        return result;
    }

    @Override
    public String toString() {
        return base.getHostAddress() + "/" + prefixLength;
    }
}
