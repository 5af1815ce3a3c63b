package io.meridian.registry;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The rules every registration must follow, checked before anything is written. The limits on metadata are Consul's.
 * Thread-safe and stateless.
 */
public final class RegistrationRules {

    /** The shortest interval a probing check may run at. */
    public static final Duration MIN_CHECK_INTERVAL = Duration.ofSeconds(1);
    public static final int MAX_META_PAIRS = 64;
    public static final int MAX_META_KEY_LENGTH = 128;
    public static final int MAX_META_VALUE_LENGTH = 512;
    public static final int MAX_TAGS = 64;
    public static final int MAX_TAG_LENGTH = 255;
    public static final int MAX_ID_LENGTH = 256;
    public static final int MAX_ADDRESS_LENGTH = 255;
    public static final int MAX_PORTS = 16;

    private static final Pattern DNS_LABEL = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
    private static final Pattern META_KEY = Pattern.compile("[A-Za-z0-9_-]+");

    private RegistrationRules() {
    }

    /**
     * Checks an instance against every rule, allowing it at most {@code maxChecks} counted checks.
     *
     * @throws InvalidRegistrationException naming every rule it breaks
     */
    public static void requireValid(ServiceInstance instance, int maxChecks) {
        List<String> violations = new ArrayList<>();
        requireDnsLabel(instance.namespace(), "namespace", violations);
        requireDnsLabel(instance.service(), "service name", violations);
        checkId(instance.id(), "service ID", violations);
        if (instance.port() < 0 || instance.port() > 65535) {
            violations.add("port " + instance.port() + " is outside 1-65535");
        }
        if (instance.address().length() > MAX_ADDRESS_LENGTH) {
            violations.add("address is longer than " + MAX_ADDRESS_LENGTH + " characters");
        }
        checkTags(instance.tags(), violations);
        checkMeta(instance.meta(), violations);
        checkPorts(instance.ports(), violations);
        if (instance.weights().passing() < 1 || instance.weights().warning() < 0) {
            violations.add("Weights.Passing must be at least 1 and Weights.Warning at least 0");
        }
        if (countedChecks(instance.checks()) > maxChecks) {
            violations.add(tooManyChecks(maxChecks));
        }
        Set<String> checkIds = new HashSet<>();
        for (Check check : instance.checks()) {
            checkCheck(check, violations);
            if (!checkIds.add(check.id())) {
                violations.add("check ID '" + check.id() + "' is used twice");
            }
        }
        if (!violations.isEmpty()) {
            throw new InvalidRegistrationException(violations);
        }
    }

    private static void checkPorts(List<NamedPort> ports, List<String> violations) {
        if (ports.size() > MAX_PORTS) {
            violations.add("an instance has at most " + MAX_PORTS + " named ports, not " + ports.size());
        }
        Set<String> names = new HashSet<>();
        for (NamedPort named : ports) {
            requireDnsLabel(named.name(), "port name", violations);
            if (named.port() < 1 || named.port() > 65535) {
                violations.add("port " + named.name() + "'s number " + named.port() + " is outside 1-65535");
            }
            if (!names.add(named.name())) {
                violations.add("port name '" + named.name() + "' is used twice");
            }
        }
        if (ports.stream().filter(NamedPort::isDefault).count() > 1) {
            violations.add("at most one port is the default");
        }
    }

    /**
     * Checks one check definition, for a check added to a registered instance.
     *
     * @throws InvalidRegistrationException naming every rule it breaks
     */
    public static void requireValid(Check check) {
        List<String> violations = new ArrayList<>();
        checkCheck(check, violations);
        if (!violations.isEmpty()) {
            throw new InvalidRegistrationException(violations);
        }
    }

    /** How many of the checks count towards the limit per instance: all but maintenance and draining. */
    public static long countedChecks(List<Check> checks) {
        return checks.stream().filter(check -> check.kind() != CheckKind.MAINTENANCE
                && check.kind() != CheckKind.DRAIN).count();
    }

    /** The violation of an instance with more than {@code maxChecks} counted checks. */
    public static String tooManyChecks(int maxChecks) {
        return "an instance may have at most " + maxChecks + " checks (meridian.max-checks-per-instance)";
    }

    /**
     * Checks a namespace name.
     *
     * @throws InvalidRegistrationException if it is not a DNS label
     */
    public static void requireValidNamespace(String namespace) {
        List<String> violations = new ArrayList<>();
        requireDnsLabel(namespace, "namespace", violations);
        if (!violations.isEmpty()) {
            throw new InvalidRegistrationException(violations);
        }
    }

    private static void requireDnsLabel(String value, String what, List<String> violations) {
        if (!DNS_LABEL.matcher(value).matches()) {
            violations.add(what + " '" + abbreviate(value) + "' is not a DNS label"
                    + " (1-63 letters, digits and hyphens, not starting or ending with a hyphen)");
        }
    }

    private static void checkId(String id, String what, List<String> violations) {
        if (id.isEmpty() || id.length() > MAX_ID_LENGTH) {
            violations.add(what + " must have 1-" + MAX_ID_LENGTH + " characters");
        } else if (id.contains("/") || id.chars().anyMatch(Character::isISOControl)) {
            violations.add(what + " '" + abbreviate(id) + "' must not contain '/' or control characters");
        }
    }

    private static void checkTags(List<String> tags, List<String> violations) {
        if (tags.size() > MAX_TAGS) {
            violations.add("more than " + MAX_TAGS + " tags");
        }
        for (String tag : tags) {
            if (tag.isEmpty() || tag.length() > MAX_TAG_LENGTH) {
                violations.add("tag '" + abbreviate(tag) + "' must have 1-" + MAX_TAG_LENGTH + " characters");
            }
        }
    }

    private static void checkMeta(Map<String, String> meta, List<String> violations) {
        if (meta.size() > MAX_META_PAIRS) {
            violations.add("more than " + MAX_META_PAIRS + " meta pairs (" + meta.size() + ")");
        }
        meta.forEach((key, value) -> {
            if (key.length() > MAX_META_KEY_LENGTH || !META_KEY.matcher(key).matches()) {
                violations.add("meta key '" + abbreviate(key) + "' must be 1-" + MAX_META_KEY_LENGTH
                        + " letters, digits, '_' or '-'");
            }
            if (value.length() > MAX_META_VALUE_LENGTH) {
                violations.add("meta value of '" + abbreviate(key) + "' is longer than " + MAX_META_VALUE_LENGTH
                        + " characters");
            }
        });
    }

    private static void checkCheck(Check check, List<String> violations) {
        String name = "check '" + abbreviate(check.id()) + "'";
        checkId(check.id(), name + " ID", violations);
        if (check.kind().isProbe()) {
            if (check.interval() == null || check.interval().compareTo(MIN_CHECK_INTERVAL) < 0) {
                violations.add(name + ": interval must be at least 1s");
            }
            if (check.target().isEmpty()) {
                violations.add(name + ": a " + check.kind() + " check needs a target");
            }
            if (check.timeout() != null && (check.timeout().isNegative() || check.timeout().isZero())) {
                violations.add(name + ": timeout must be positive");
            } else if (check.timeout() != null && check.interval() != null
                    && check.timeout().compareTo(check.interval()) > 0) {
                violations.add(name + ": timeout must not be longer than the interval");
            }
            checkTarget(check, name, violations);
        } else if (check.kind() == CheckKind.TTL
                && (check.ttl() == null || check.ttl().isNegative() || check.ttl().isZero())) {
            violations.add(name + ": TTL must be positive");
        }
        Thresholds thresholds = check.thresholds();
        if (thresholds.successBeforePassing() < 0 || thresholds.failuresBeforeWarning() < 0
                || thresholds.failuresBeforeCritical() < 0) {
            violations.add(name + ": SuccessBeforePassing, FailuresBeforeWarning and FailuresBeforeCritical must not"
                    + " be negative");
        }
        Duration deregisterAfter = check.deregisterCriticalServiceAfter();
        if (deregisterAfter != null && deregisterAfter.isNegative()) {
            violations.add(name + ": DeregisterCriticalServiceAfter must not be negative");
        }
    }

    private static void checkTarget(Check check, String name, List<String> violations) {
        if (check.target().isEmpty()) {
            return;
        }
        if (check.kind() == CheckKind.HTTP) {
            try {
                URI uri = new URI(check.target());
                if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                    violations.add(name + ": HTTP target '" + abbreviate(check.target())
                            + "' is not an http:// or https:// URL with a host");
                }
            } catch (URISyntaxException e) {
                violations.add(name + ": HTTP target '" + abbreviate(check.target()) + "' is not a URL");
            }
        } else {
            if (CheckTarget.of(check).isEmpty()) {
                violations.add(name + ": " + check.kind() + " target '" + abbreviate(check.target())
                        + "' is not host:port with a port up to 65535");
            }
        }
    }

    private static String abbreviate(String value) {
        return value.length() <= 64 ? value : value.substring(0, 61) + "...";
    }
}
