package io.meridian.http.wire;

import io.meridian.registry.Check;
import io.meridian.registry.CheckKind;
import io.meridian.registry.HealthStatus;
import io.meridian.registry.HttpOptions;
import io.meridian.registry.NamedPort;
import io.meridian.registry.ServiceInstance;
import io.meridian.registry.Thresholds;
import io.meridian.registry.Weights;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/** Turns a register body into the registry's instance, with Consul's defaults for what it leaves out. */
public final class Registrations {

    private Registrations() {
    }

    /**
     * The instance a body describes.
     *
     * @param namespace the namespace of the request, used unless the body names one
     * @throws MissingFieldException  if the body has no {@code Name}
     * @throws InvalidFieldException  if a check names no kind or several, or an unknown status
     */
    public static ServiceInstance toInstance(RegisterBody body, String namespace) {
        if (body.name() == null || body.name().isBlank()) {
            throw new MissingFieldException("Name is required: the service's name, such as \"web\"");
        }
        String id = body.id() == null || body.id().isBlank() ? body.name() : body.id();
        Weights weights = weights(body.weights());
        return new ServiceInstance(
                body.namespace() == null || body.namespace().isBlank() ? namespace : body.namespace(),
                body.name(),
                id,
                body.address(),
                body.port() != null ? body.port() : defaultPort(ports(body.ports())),
                body.tags(),
                body.meta(),
                weights,
                Boolean.TRUE.equals(body.enableTagOverride()),
                checks(body, id),
                "",
                ports(body.ports()));
    }

    /**
     * The instance a catalog registration describes: registered for the body's node, at the node's address unless
     * the service gives one, with the body's checks as external checks whose status the registrator sets.
     *
     * @throws MissingFieldException if the body has no {@code Node}, no {@code Service} or no service name
     * @throws InvalidFieldException if a check has an unknown status or belongs to another service
     */
    public static ServiceInstance fromCatalog(CatalogRegisterBody body, String namespace) {
        if (body.node() == null || body.node().isBlank()) {
            throw new MissingFieldException("Node is required: the node the registration is for");
        }
        CatalogRegisterBody.CatalogServiceBody service = body.service();
        if (service == null) {
            throw new MissingFieldException("Service is required: Meridian registers services, not bare nodes");
        }
        if (service.service() == null || service.service().isBlank()) {
            throw new MissingFieldException("Service.Service is required: the service's name, such as \"web\"");
        }
        String id = service.id() == null || service.id().isBlank() ? service.service() : service.id();
        List<CheckBody> given = Stream.concat(Stream.ofNullable(body.check()),
                Stream.ofNullable(body.checks()).flatMap(List::stream)).filter(Objects::nonNull).toList();
        List<Check> checks = new ArrayList<>();
        for (int i = 0; i < given.size(); i++) {
            CheckBody check = given.get(i);
            if (present(check.serviceId()) && !check.serviceId().equals(id)) {
                throw new InvalidFieldException("check '" + check.checkId() + "' is for service " + check.serviceId()
                        + ", not " + id + ": register it with that service");
            }
            String defaultId = given.size() == 1 ? "service:" + id : "service:" + id + ":" + (i + 1);
            checks.add(externalCheck(check, defaultId));
        }
        return new ServiceInstance(
                present(service.namespace()) ? service.namespace() : namespace,
                service.service(),
                id,
                present(service.address()) ? service.address() : Objects.requireNonNullElse(body.address(), ""),
                service.port() != null ? service.port() : defaultPort(ports(service.ports())),
                service.tags(),
                service.meta(),
                weights(service.weights()),
                Boolean.TRUE.equals(service.enableTagOverride()),
                checks,
                body.node(),
                ports(service.ports()));
    }

    /**
     * Consul 1.22's named ports.
     *
     * @throws MissingFieldException if a port has no {@code Name} or no {@code Port}
     */
    private static List<NamedPort> ports(List<PortBody> given) {
        if (given == null) {
            return List.of();
        }
        List<NamedPort> ports = new ArrayList<>(given.size());
        for (PortBody port : given) {
            if (port == null || !present(port.name()) || port.port() == null) {
                throw new MissingFieldException("each of Ports needs a Name and a Port, such as "
                        + "{\"Name\": \"grpc\", \"Port\": 9090}");
            }
            ports.add(new NamedPort(port.name(), port.port(), Boolean.TRUE.equals(port.isDefault())));
        }
        return ports;
    }

    /** The {@code Port} of an instance registered with named ports and no {@code Port}: the default, else the first. */
    private static int defaultPort(List<NamedPort> ports) {
        return ports.stream().filter(NamedPort::isDefault).findFirst()
                .or(() -> ports.stream().findFirst()).map(NamedPort::port).orElse(0);
    }

    private static Check externalCheck(CheckBody body, String defaultId) {
        String id = present(body.checkId()) ? body.checkId() : defaultId;
        String name = present(body.name()) ? body.name() : "Service '" + id + "' check";
        return new Check(id, name, CheckKind.EXTERNAL, "", null, null, null, null, null, null, status(body, id),
                body.notes());
    }

    private static HealthStatus status(CheckBody body, String id) {
        try {
            return present(body.status()) ? HealthStatus.fromWireName(body.status()) : HealthStatus.CRITICAL;
        } catch (IllegalArgumentException e) {
            throw new InvalidFieldException("check '" + id + "': " + e.getMessage());
        }
    }

    private static Weights weights(WeightsBody body) {
        return body == null ? Weights.DEFAULT : new Weights(Objects.requireNonNullElse(body.passing(), 1),
                Objects.requireNonNullElse(body.warning(), 1));
    }

    private static List<Check> checks(RegisterBody body, String instanceId) {
        List<CheckBody> given = Stream.concat(Stream.ofNullable(body.check()),
                Stream.ofNullable(body.checks()).flatMap(List::stream)).filter(Objects::nonNull).toList();
        List<Check> checks = new ArrayList<>();
        for (int i = 0; i < given.size(); i++) {
            String defaultId = given.size() == 1 ? "service:" + instanceId : "service:" + instanceId + ":" + (i + 1);
            checks.add(toCheck(given.get(i), defaultId));
        }
        return checks;
    }

    /**
     * The check a body describes, as {@code PUT /v1/agent/check/register} takes it.
     *
     * @param defaultId the id when the body gives none
     * @throws InvalidFieldException if it names no kind or several, or an unknown status
     */
    public static Check toCheck(CheckBody body, String defaultId) {
        String id = body.checkId() == null || body.checkId().isBlank() ? defaultId : body.checkId();
        List<CheckKind> kinds = new ArrayList<>();
        String target = "";
        if (present(body.http())) {
            kinds.add(CheckKind.HTTP);
            target = body.http();
        }
        if (present(body.tcp())) {
            kinds.add(CheckKind.TCP);
            target = body.tcp();
        }
        if (present(body.grpc())) {
            kinds.add(CheckKind.GRPC);
            target = body.grpc();
        }
        if (body.ttl() != null) {
            kinds.add(CheckKind.TTL);
        }
        if (kinds.size() != 1) {
            throw new InvalidFieldException("check '" + id + "' must have exactly one of HTTP, TCP, GRPC or TTL");
        }
        HealthStatus status = status(body, id);
        String name = present(body.name()) ? body.name() : "Service '" + id + "' check";
        HttpOptions http = new HttpOptions(body.method(), body.header(), body.body(),
                Boolean.TRUE.equals(body.tlsSkipVerify()));
        Thresholds thresholds = new Thresholds(zeroIfNull(body.successBeforePassing()),
                zeroIfNull(body.failuresBeforeWarning()), zeroIfNull(body.failuresBeforeCritical()));
        return new Check(id, name, kinds.get(0), target, http, body.interval(), body.timeout(), body.ttl(),
                body.deregisterCriticalServiceAfter(), thresholds, status, body.notes());
    }

    private static int zeroIfNull(Integer value) {
        return value == null ? 0 : value;
    }

    private static boolean present(String value) {
        return value != null && !value.isBlank();
    }
}
