package io.meridian.http.wire;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Go's duration strings as Consul reads and writes them: {@code 10s}, {@code 1m30s}, {@code 500ms}, {@code 1.5h},
 * {@code 120000ms}. A bare number is taken as nanoseconds, as Go's JSON encoding of a {@code time.Duration} is.
 */
public final class GoDuration {

    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h)");

    private GoDuration() {
    }

    /**
     * Parses a duration.
     *
     * @throws IllegalArgumentException if the text is not a Go duration
     */
    public static Duration parse(String text) {
        String trimmed = text.trim();
        if (trimmed.matches("-?\\d+")) {
            return Duration.ofNanos(Long.parseLong(trimmed));
        }
        boolean negative = trimmed.startsWith("-");
        String body = negative || trimmed.startsWith("+") ? trimmed.substring(1) : trimmed;
        Matcher matcher = PART.matcher(body);
        double nanos = 0;
        int end = 0;
        while (matcher.find() && matcher.start() == end) {
            nanos += Double.parseDouble(matcher.group(1)) * unitNanos(matcher.group(2));
            end = matcher.end();
        }
        if (end == 0 || end != body.length()) {
            throw new IllegalArgumentException("'" + text + "' is not a duration such as 10s, 1m30s or 500ms");
        }
        Duration duration = Duration.ofNanos(Math.round(nanos));
        return negative ? duration.negated() : duration;
    }

    /** Formats a duration the way Go prints it, for example {@code 1m30s} or {@code 500ms}. */
    public static String format(Duration duration) {
        if (duration.isZero()) {
            return "0s";
        }
        if (duration.toSeconds() == 0) {
            return duration.toMillis() + "ms";
        }
        StringBuilder text = new StringBuilder();
        long hours = duration.toHours();
        int minutes = duration.toMinutesPart();
        if (hours > 0) {
            text.append(hours).append('h');
        }
        if (hours > 0 || minutes > 0) {
            text.append(minutes).append('m');
        }
        int millis = duration.toMillisPart();
        text.append(duration.toSecondsPart());
        if (millis > 0) {
            text.append('.').append(String.format("%03d", millis).replaceAll("0+$", ""));
        }
        return text.append('s').toString();
    }

    private static double unitNanos(String unit) {
        return switch (unit) {
            case "ns" -> 1;
            case "us", "µs" -> 1e3;
            case "ms" -> 1e6;
            case "s" -> 1e9;
            case "m" -> 60e9;
            default -> 3600e9;
        };
    }
}
