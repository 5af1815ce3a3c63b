package io.meridian.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;
import io.meridian.acl.Access;
import io.meridian.acl.AclPolicy;
import io.meridian.acl.AclRule;
import io.meridian.acl.AclStore;
import io.meridian.http.wire.AclBodies;
import io.meridian.http.wire.InvalidFieldException;
import io.meridian.registry.ServiceInstance;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * ACL administration, with a management token: {@code PUT /v1/acl/policy}, {@code GET /v1/acl/policies},
 * {@code PUT /v1/acl/token} (answers the new token's {@code SecretID}, the only time it is shown; takes a given
 * {@code AccessorID} and {@code SecretID} as Consul's does) and
 * {@code DELETE /v1/acl/token/:accessor}.
 */
final class AclEndpoints {

    private final AclStore store;
    private final Acl acl;
    private final ObjectMapper mapper;

    AclEndpoints(AclStore store, Acl acl, ObjectMapper mapper) {
        this.store = store;
        this.acl = acl;
        this.mapper = mapper;
    }

    void putPolicy(Context ctx) {
        acl.requireManagement(ctx);
        AclBodies.PolicyBody body = JsonBody.read(mapper, ctx.body(), AclBodies.PolicyBody.class);
        List<AclRule> rules = Objects.requireNonNullElse(body.rules(), List.<AclBodies.RuleBody>of()).stream()
                .map(AclEndpoints::rule).toList();
        try {
            store.putPolicy(new AclPolicy(Objects.requireNonNullElse(body.name(), ""), rules));
        } catch (IllegalArgumentException e) {
            throw new InvalidFieldException(e.getMessage());
        }
        ctx.json(Map.of("Name", body.name(), "Rules", rules.size()));
    }

    void policies(Context ctx) {
        acl.requireManagement(ctx);
        ctx.json(store.policies().stream().map(policy -> Map.of("Name", policy.name(), "Rules",
                policy.rules().stream().map(rule -> Map.of("Namespace", rule.namespace(), "ServicePrefix",
                        rule.servicePrefix(), "Access", rule.access().name().toLowerCase(Locale.ROOT))).toList()))
                .toList());
    }

    void createToken(Context ctx) {
        acl.requireManagement(ctx);
        AclBodies.TokenBody body = JsonBody.read(mapper, ctx.body(), AclBodies.TokenBody.class);
        List<String> policies = Objects.requireNonNullElse(body.policies(), List.<AclBodies.PolicyLink>of()).stream()
                .map(AclBodies.PolicyLink::name).filter(Objects::nonNull).toList();
        AclStore.CreatedToken created;
        try {
            created = store.createToken(body.description(), policies, Optional.ofNullable(body.accessorID()),
                    Optional.ofNullable(body.secretID()));
        } catch (IllegalArgumentException e) {
            throw new InvalidFieldException(e.getMessage());
        }
        Map<String, Object> shape = new LinkedHashMap<>();
        shape.put("AccessorID", created.token().accessorId());
        shape.put("SecretID", created.secret());
        shape.put("Description", created.token().description());
        shape.put("Policies", created.token().policies().stream().map(name -> Map.of("Name", name)).toList());
        ctx.json(shape);
    }

    void deleteToken(Context ctx) {
        acl.requireManagement(ctx);
        if (!store.deleteToken(ctx.pathParam("accessor"))) {
            throw new NotFoundResponse("no token has accessor id " + ctx.pathParam("accessor"));
        }
        ctx.json(true);
    }

    private static AclRule rule(AclBodies.RuleBody body) {
        Access access;
        try {
            access = Access.valueOf(Objects.requireNonNullElse(body.access(), "").toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidFieldException("a rule's Access is read or write, not '" + body.access() + "'");
        }
        return new AclRule(body.namespace() == null || body.namespace().isBlank()
                ? ServiceInstance.DEFAULT_NAMESPACE : body.namespace(),
                Objects.requireNonNullElse(body.servicePrefix(), ""), access);
    }
}
