package io.meridian.registry;

import java.util.List;

/** A registration broke one or more rules; nothing was written. The message lists every broken rule. */
public final class InvalidRegistrationException extends RegistryException {

    private final List<String> violations;

    public InvalidRegistrationException(List<String> violations) {
        super(String.join("; ", violations));
        this.violations = List.copyOf(violations);
    }

    /** Each broken rule, one sentence each. */
    public List<String> violations() {
        return violations;
    }
}
