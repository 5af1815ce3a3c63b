package io.meridian.registry.grid;

/**
 * The string keys of the projection. Namespaces and service names are DNS labels, so {@code /} never occurs in them
 * and the keys are unambiguous.
 */
final class ServiceKeys {

    private ServiceKeys() {
    }

    /** The key of a service: {@code namespace/service}. */
    static String service(String namespace, String service) {
        return namespace + '/' + service;
    }

    /** The key of one slice of a service's instances: {@code namespace/service/bucket}. */
    static String slice(String serviceKey, int bucket) {
        return serviceKey + '/' + bucket;
    }

    static String namespaceOf(String serviceKey) {
        return serviceKey.substring(0, serviceKey.indexOf('/'));
    }

    static String serviceOf(String serviceKey) {
        return serviceKey.substring(serviceKey.indexOf('/') + 1);
    }

    /** The key of the service a slice key belongs to. */
    static String serviceOfSlice(String sliceKey) {
        return sliceKey.substring(0, sliceKey.lastIndexOf('/'));
    }
}
