package io.meridian.http;

import io.javalin.http.Context;
import io.javalin.http.ForbiddenResponse;
import io.javalin.http.UnauthorizedResponse;
import io.meridian.acl.Access;
import io.meridian.acl.AclStore;
import io.meridian.acl.Permissions;
import io.meridian.registry.Registry;
import io.meridian.registry.ServiceInstance;

import java.util.Optional;

/**
 * Decides what a request may do from its token ({@code X-Consul-Token}, {@code Authorization: Bearer}, or
 * {@code ?token=}). In default-allow mode everything is allowed. In default-deny mode a request without a token, or
 * with one no token has, is a 401; a token that lacks the access is a 403. Thread-safe.
 */
final class Acl {

    private static final String RESOLVED = "meridian.permissions";

    private final AclSettings settings;
    private final AclStore store;
    private final Registry registry;

    /** The registry finds the service of an instance or a check named by id, in default-deny mode only. */
    Acl(AclSettings settings, AclStore store, Registry registry) {
        this.settings = settings;
        this.store = store;
        this.registry = registry;
    }

    /** The request's permissions, resolved once per request. @throws UnauthorizedResponse without a known token */
    Permissions of(Context ctx) {
        if (!settings.defaultDeny()) {
            return Permissions.ALL;
        }
        Permissions resolved = ctx.attribute(RESOLVED);
        if (resolved != null) {
            return resolved;
        }
        String secret = token(ctx).orElseThrow(() -> new UnauthorizedResponse(
                "an ACL token is required: X-Consul-Token, Authorization: Bearer or ?token="));
        Permissions permissions = store.resolve(secret)
                .orElseThrow(() -> new UnauthorizedResponse("ACL token not found"));
        ctx.attribute(RESOLVED, permissions);
        return permissions;
    }

    void requireRead(Context ctx, String namespace, String service) {
        require(ctx, namespace, service, Access.READ);
    }

    void requireWrite(Context ctx, String namespace, String service) {
        require(ctx, namespace, service, Access.WRITE);
    }

    /**
     * Write on the service of a registered instance. An instance that is not registered needs only a known token:
     * the handler answers 404. In default-allow mode nothing is looked up, so a write stays one commit.
     */
    void requireWriteOnInstance(Context ctx, String namespace, String instanceId) {
        if (settings.defaultDeny()) {
            of(ctx);
            registry.serviceOfInstance(namespace, instanceId).ifPresent(service -> require(ctx, namespace, service,
                    Access.WRITE));
        }
    }

    /**
     * A registration: write on the instance's service, and, when its id is registered already, on the service that
     * holds it now, since re-registering the id takes it out of that service.
     */
    void requireWriteToRegister(Context ctx, ServiceInstance instance) {
        requireWrite(ctx, instance.namespace(), instance.service());
        requireWriteOnInstance(ctx, instance.namespace(), instance.id());
    }

    /** Write on the service of the instance a check belongs to; as above for a check nobody has. */
    void requireWriteOnCheck(Context ctx, String namespace, String checkId) {
        if (settings.defaultDeny()) {
            of(ctx);
            registry.serviceOfCheck(namespace, checkId).ifPresent(service -> require(ctx, namespace, service,
                    Access.WRITE));
        }
    }

    /** Whether the request may read the service: for lists, which leave out what it may not. */
    boolean canRead(Context ctx, String namespace, String service) {
        return of(ctx).allows(namespace, service, Access.READ);
    }

    /** @throws ForbiddenResponse unless the token is a management token */
    void requireManagement(Context ctx) {
        if (!of(ctx).isManagement()) {
            throw new ForbiddenResponse("Permission denied: " + ctx.method() + " " + ctx.path()
                    + " needs a management token");
        }
    }

    private void require(Context ctx, String namespace, String service, Access access) {
        if (!of(ctx).allows(namespace, service, access)) {
            throw new ForbiddenResponse("Permission denied: the token lacks " + access.name().toLowerCase()
                    + " on service '" + service + "' in namespace '" + namespace + "'");
        }
    }

    private static Optional<String> token(Context ctx) {
        String header = ctx.header("X-Consul-Token");
        if (header != null && !header.isBlank()) {
            return Optional.of(header.trim());
        }
        String authorization = ctx.header("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.of(authorization.substring(7).trim()).filter(token -> !token.isEmpty());
        }
        return Optional.ofNullable(ctx.queryParam("token")).filter(token -> !token.isBlank());
    }
}
