package io.meridian.registry;

import java.io.Serializable;
import java.util.Objects;

/**
 * One of an instance's named ports, as Consul 1.22 registers them ({@code Ports: [{Name, Port, Default}]}).
 *
 * @param name      a DNS label, unique among the instance's ports; DNS answers it as {@code <name>.port.<service>}
 * @param port      1-65535
 * @param isDefault whether this is the port a lookup that names none means; at most one port is
 */
public record NamedPort(String name, int port, boolean isDefault) implements Serializable {

    public NamedPort {
        Objects.requireNonNull(name, "name");
    }
}
