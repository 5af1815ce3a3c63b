package io.meridian.registry.grid;

import com.hazelcast.core.IFunction;

/** A read-only query of a shard: the part of one service, or null if the shard holds none. */
record PartOf(String serviceKey) implements IFunction<Shard, ServicePart> {

    @Override
    public ServicePart apply(Shard shard) {
        return shard == null ? null : shard.parts().get(serviceKey);
    }
}
