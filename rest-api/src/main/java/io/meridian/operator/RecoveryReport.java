package io.meridian.operator;

import java.util.List;

/**
 * What a recovery from a lost CP majority put back, and what it could not.
 *
 * @param instancesRestored registrations committed again from this node's projection
 * @param notRestored       each registration that could not be committed again, with the reason
 * @param aclPolicies       ACL policies put back
 * @param aclTokens         ACL tokens put back (their secrets keep working)
 * @param preparedQueries   prepared queries put back
 * @param notKept           what a recovery cannot bring back, in words
 */
public record RecoveryReport(int instancesRestored, List<String> notRestored, int aclPolicies, int aclTokens,
                             int preparedQueries, List<String> notKept) {

    public RecoveryReport {
        notRestored = List.copyOf(notRestored);
        notKept = List.copyOf(notKept);
    }
}
