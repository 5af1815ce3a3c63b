package io.meridian.acl;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/** A named set of rules that tokens are given. */
public record AclPolicy(String name, List<AclRule> rules) implements Serializable {

    public AclPolicy {
        Objects.requireNonNull(name, "name");
        rules = List.copyOf(rules);
    }
}
