package io.meridian.http.wire;

import java.util.List;

/**
 * The bodies of the ACL endpoints. Rules are JSON, not Consul's HCL:
 * {@code {"Name":"web-read","Rules":[{"Namespace":"default","ServicePrefix":"web","Access":"read"}]}}.
 */
public final class AclBodies {

    private AclBodies() {
    }

    /** {@code PUT /v1/acl/policy}. */
    public record PolicyBody(String name, List<RuleBody> rules) {
    }

    /**
     * One rule: {@code Namespace} ({@code *} for all; {@code default} if absent), {@code ServicePrefix},
     * {@code Access}.
     */
    public record RuleBody(String namespace, String servicePrefix, String access) {
    }

    /**
     * {@code PUT /v1/acl/token}: policies by name, as Consul's {@code [{"Name":"web-read"}]}; {@code AccessorID} and
     * {@code SecretID} if the token is to have given ones (to rebuild tokens clients already hold), else absent.
     */
    public record TokenBody(String accessorID, String secretID, String description, List<PolicyLink> policies) {
    }

    /** A policy a token links to. */
    public record PolicyLink(String name) {
    }
}
