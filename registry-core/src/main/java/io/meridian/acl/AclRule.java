package io.meridian.acl;

import java.io.Serializable;
import java.util.Objects;

/**
 * One grant of a policy: {@code access} to the services of a namespace ({@code *} for every namespace) whose names
 * start with {@code servicePrefix} (empty for every service).
 */
public record AclRule(String namespace, String servicePrefix, Access access) implements Serializable {

    public AclRule {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(servicePrefix, "servicePrefix");
        Objects.requireNonNull(access, "access");
    }

    /** Whether this rule grants the wanted access to the service. */
    public boolean grants(String inNamespace, String service, Access wanted) {
        return (namespace.equals("*") || namespace.equals(inNamespace)) && service.startsWith(servicePrefix)
                && access.covers(wanted);
    }
}
