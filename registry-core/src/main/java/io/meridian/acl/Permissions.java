package io.meridian.acl;

import java.util.List;

/**
 * What a request may do: resolved from its token. Immutable.
 */
public interface Permissions {

    /** Everything: default-allow mode, or a management token. */
    Permissions ALL = new Permissions() {
        @Override
        public boolean allows(String namespace, String service, Access wanted) {
            return true;
        }

        @Override
        public boolean isManagement() {
            return true;
        }
    };

    /** Whether the wanted access to the service is granted. */
    boolean allows(String namespace, String service, Access wanted);

    /** Whether ACLs themselves may be administered. */
    boolean isManagement();

    /** The union of the rules of the policies. */
    static Permissions of(List<AclRule> rules) {
        return new Permissions() {
            @Override
            public boolean allows(String namespace, String service, Access wanted) {
                return rules.stream().anyMatch(rule -> rule.grants(namespace, service, wanted));
            }

            @Override
            public boolean isManagement() {
                return false;
            }
        };
    }
}
