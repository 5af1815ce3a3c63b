package io.meridian.acl;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * A token as stored: its public accessor id, the SHA-256 of its secret (never the secret), and the policies it
 * carries by name. A management token may do anything, ACL administration included.
 */
public record AclToken(String accessorId, String secretHash, String description, List<String> policies,
                       boolean management) implements Serializable {

    public AclToken {
        Objects.requireNonNull(accessorId, "accessorId");
        Objects.requireNonNull(secretHash, "secretHash");
        description = description == null ? "" : description;
        policies = List.copyOf(policies);
    }
}
