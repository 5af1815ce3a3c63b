package io.meridian.acl;

import java.util.List;
import java.util.Optional;

/**
 * Where policies and tokens live. Writes go through the committed (Raft) state; a token's secret is handed out once,
 * at creation, and only its SHA-256 is kept. Thread-safe.
 */
public interface AclStore {

    /**
     * Creates or replaces a policy.
     *
     * @throws IllegalArgumentException if it has no name or no rules
     * @throws io.meridian.registry.RegistryUnavailableException if no majority committed it in time
     */
    void putPolicy(AclPolicy policy);

    /**
     * Creates a token carrying the named policies, with the given accessor id and secret (to rebuild tokens clients
     * already hold) or new random ones.
     *
     * @throws IllegalArgumentException if a policy does not exist, a given id is not a UUID, or a token has the given
     *                                  accessor id or secret already
     * @throws io.meridian.registry.RegistryUnavailableException if no majority committed it in time
     */
    CreatedToken createToken(String description, List<String> policies, Optional<String> accessorId,
                             Optional<String> secretId);

    /** Deletes a token by its accessor id; false if there was none. */
    boolean deleteToken(String accessorId);

    /** The permissions of a secret; empty if no token has it. */
    Optional<Permissions> resolve(String secret);

    /** Every policy, by name. */
    List<AclPolicy> policies();

    /** A token just created, with the one copy of its secret. */
    record CreatedToken(AclToken token, String secret) {
    }
}
