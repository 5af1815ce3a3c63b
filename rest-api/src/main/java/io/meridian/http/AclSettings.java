package io.meridian.http;

import io.meridian.acl.AclStore;
import io.meridian.acl.Permissions;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Whether requests need tokens, and the token DNS answers with.
 *
 * @param defaultDeny true: every request needs a token that grants what it does (Consul's {@code default_policy =
 *                    deny}); false: everything is allowed and tokens are not asked for (default-allow, for
 *                    development)
 * @param dnsToken    the token whose read rights decide what DNS answers, when {@code defaultDeny}; without one, DNS
 *                    answers nothing
 */
public record AclSettings(boolean defaultDeny, Optional<String> dnsToken) {

    /** Default-allow. */
    public static final AclSettings ALLOW_ALL = new AclSettings(false, Optional.empty());

    private static final Permissions NOTHING = Permissions.of(List.of());

    public AclSettings {
        Objects.requireNonNull(dnsToken, "dnsToken");
    }

    /**
     * What DNS may answer, looked up afresh for each query (so that a changed policy applies): everything in
     * default-allow mode, else what the DNS token may read, or nothing without one.
     */
    public Supplier<Permissions> dnsPermissions(AclStore store) {
        if (!defaultDeny) {
            return () -> Permissions.ALL;
        }
        return () -> dnsToken.flatMap(store::resolve).orElse(NOTHING);
    }
}
