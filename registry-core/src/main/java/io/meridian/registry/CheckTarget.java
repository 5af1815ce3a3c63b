package io.meridian.registry;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The host and port a probing check connects to.
 *
 * @param host a name or a literal address, without IPv6 brackets
 * @param port the port, the scheme's default for an HTTP URL without one
 */
public record CheckTarget(String host, int port) {

    private static final Pattern IPV4 = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
    private static final Pattern HOST_PORT = Pattern.compile("(\\[[0-9A-Fa-f:.]+]|[A-Za-z0-9.-]+):(\\d{1,5})(/.*)?");

    /** Where the check connects: empty for checks that probe nothing, or a target that is not well-formed. */
    public static Optional<CheckTarget> of(Check check) {
        if (!check.kind().isProbe()) {
            return Optional.empty();
        }
        if (check.kind() == CheckKind.HTTP) {
            try {
                URI uri = new URI(check.target());
                if (uri.getHost() == null) {
                    return Optional.empty();
                }
                int port = uri.getPort() >= 0 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
                return Optional.of(new CheckTarget(unbracketed(uri.getHost()), port));
            } catch (URISyntaxException e) {
                return Optional.empty();
            }
        }
        Matcher hostPort = HOST_PORT.matcher(check.target());
        if (!hostPort.matches() || Integer.parseInt(hostPort.group(2)) > 65535) {
            return Optional.empty();
        }
        return Optional.of(new CheckTarget(unbracketed(hostPort.group(1)), Integer.parseInt(hostPort.group(2))));
    }

    /** Whether the host is a literal IPv4 or IPv6 address, which resolves without asking DNS. */
    public boolean isLiteral() {
        return host.contains(":") || IPV4.matcher(host).matches();
    }

    private static String unbracketed(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }
}
