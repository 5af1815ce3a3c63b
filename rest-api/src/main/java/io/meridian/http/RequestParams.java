package io.meridian.http;

import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import io.meridian.http.filter.FilterExpression;
import io.meridian.http.filter.FilterSyntaxException;
import io.meridian.http.filter.Selectors;
import io.meridian.http.wire.GoDuration;
import io.meridian.registry.InstanceEntry;
import io.meridian.registry.InstanceFilter;
import io.meridian.registry.RegistrationRules;
import io.meridian.registry.ServiceInstance;

import java.time.Duration;
import java.util.Optional;

/** Reads query parameters the way Consul reads them. */
final class RequestParams {

    private RequestParams() {
    }

    /**
     * A flag: present bare ({@code ?passing}) or with a true value is set; {@code ?passing=false} is not.
     *
     * @throws BadRequestResponse if the value is not a boolean
     */
    static boolean flag(Context ctx, String name) {
        String value = ctx.queryParam(name);
        if (value == null) {
            return false;
        }
        return flagValue(value).orElseThrow(() ->
                new BadRequestResponse("?" + name + " takes true or false, not '" + value + "'"));
    }

    /** A flag's value: bare ({@code ""}), {@code true} and {@code 1} are true, {@code false} and {@code 0} false. */
    static Optional<Boolean> flagValue(String value) {
        return switch (value.toLowerCase(java.util.Locale.ROOT)) {
            case "", "true", "1" -> Optional.of(true);
            case "false", "0" -> Optional.of(false);
            default -> Optional.empty();
        };
    }

    /** The header that gives the namespace, as in Consul, when {@code ?ns=} does not. */
    static final String NAMESPACE_HEADER = "X-Consul-Namespace";

    /**
     * The namespace of the request: {@code ?ns=}, else the {@code X-Consul-Namespace} header, else {@code default}.
     */
    static String namespace(Context ctx) {
        String namespace = ctx.queryParam("ns");
        if (namespace == null || namespace.isEmpty()) {
            namespace = ctx.header(NAMESPACE_HEADER);
        }
        if (namespace == null || namespace.isEmpty()) {
            return ServiceInstance.DEFAULT_NAMESPACE;
        }
        RegistrationRules.requireValidNamespace(namespace);
        return namespace;
    }

    /**
     * The {@code ?filter=} expression of a lookup, if it has one.
     *
     * @throws BadRequestResponse naming the position where the expression cannot be read
     */
    static Optional<FilterExpression> expression(Context ctx, Selectors<InstanceEntry> selectors) {
        String source = ctx.queryParam("filter");
        if (source == null || source.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(FilterExpression.parse(source, selectors));
        } catch (FilterSyntaxException e) {
            throw new BadRequestResponse(e.getMessage());
        }
    }

    /**
     * The zone {@code ?near=_agent} puts first: the answering node's, if it has one.
     *
     * @throws BadRequestResponse for {@code ?near=} other than {@code _agent}
     */
    static Optional<String> nearZone(Context ctx, Optional<String> nodeZone) {
        String near = ctx.queryParam("near");
        if (near == null || near.isBlank()) {
            return Optional.empty();
        }
        if (!near.equals("_agent")) {
            throw new BadRequestResponse("?near= takes _agent (the answering node's zone first), not '" + near + "'");
        }
        return nodeZone;
    }

    /** The instance filter of a lookup: repeated {@code ?tag=} and {@code ?passing}. */
    static InstanceFilter filter(Context ctx) {
        return new InstanceFilter(ctx.queryParams("tag"), flag(ctx, "passing"));
    }

    /** The {@code ?index=} of a blocking query, or 0 when the request does not block. */
    static long index(Context ctx) {
        return index(ctx.queryParam("index"));
    }

    /**
     * The {@code ?index=} of a blocking query given as its raw value ({@code null} if absent); 0 if absent.
     *
     * @throws BadRequestResponse if it is not a non-negative whole number
     */
    static long index(String index) {
        if (index == null || index.isEmpty()) {
            return 0;
        }
        try {
            long value = Long.parseLong(index);
            if (value < 0) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw new BadRequestResponse("?index takes a non-negative whole number, not '" + index + "'");
        }
    }

    /** The {@code ?wait=} of a blocking query, defaulted and capped. */
    static Duration wait(Context ctx, ApiSettings settings) {
        return wait(ctx.queryParam("wait"), settings);
    }

    /**
     * The {@code ?wait=} of a blocking query given as its raw value ({@code null} if absent), defaulted and capped.
     *
     * @throws BadRequestResponse if it is not a non-negative Go duration
     */
    static Duration wait(String wait, ApiSettings settings) {
        if (wait == null || wait.isEmpty()) {
            return settings.defaultWait();
        }
        Duration parsed;
        try {
            parsed = GoDuration.parse(wait);
        } catch (IllegalArgumentException e) {
            throw new BadRequestResponse("?wait: " + e.getMessage());
        }
        if (parsed.isNegative()) {
            throw new BadRequestResponse("?wait must not be negative");
        }
        return parsed.compareTo(settings.maxWait()) > 0 ? settings.maxWait() : parsed;
    }
}
