package io.meridian.acl;

/** What a rule grants: reading a service, or also writing it (registering, deregistering, checks). */
public enum Access {
    READ, WRITE;

    /** Whether this access covers the wanted one: write covers read. */
    public boolean covers(Access wanted) {
        return this == WRITE || wanted == READ;
    }
}
