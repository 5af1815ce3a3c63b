package io.meridian.http.wire;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Go's duration strings as Consul reads and writes them: {@code 10s}, {@code 1m30s}, {@code 500ms}, {@code 1.5h},
 * {@code 120000ms}. A bare number is taken as nanoseconds, as Go's JSON encoding of a {@code time.Duration} is.
 */
public final class GoDuration {

    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h)");

    private static final BigDecimal LONGEST = BigDecimal.valueOf(Long.MAX_VALUE);

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
        BigDecimal nanos = BigDecimal.ZERO;
        int end = 0;
        while (matcher.find() && matcher.start() == end) {
            nanos = nanos.add(new BigDecimal(matcher.group(1)).multiply(unitNanos(matcher.group(2))));
            end = matcher.end();
        }
        if (end == 0 || end != body.length()) {
            throw new IllegalArgumentException("'" + text + "' is not a duration such as 10s, 1m30s or 500ms");
        }
        BigDecimal signed = (negative ? nanos.negate() : nanos).setScale(0, RoundingMode.HALF_EVEN);
        if (signed.compareTo(LONGEST) > 0 || signed.compareTo(LONGEST.negate().subtract(BigDecimal.ONE)) < 0) {
            throw new IllegalArgumentException("'" + text + "' is longer than a Go duration can be (about 292 years)");
        }
        return Duration.ofNanos(signed.longValueExact());
    }

    /**
     * Formats a duration the way Go prints it: {@code 1h2m3.5s}, {@code 1m30s}, {@code 500ms}, {@code 1.5µs},
     * {@code 7ns}, {@code -2s}; {@link #parse} reads every such text back to the same duration.
     */
    public static String format(Duration duration) {
        if (duration.isZero()) {
            return "0s";
        }
        if (duration.isNegative()) {
            return "-" + format(duration.negated());
        }
        if (duration.getSeconds() == 0) {
            int nanos = duration.getNano();
            if (nanos < 1_000) {
                return nanos + "ns";
            }
            return nanos < 1_000_000 ? fraction(nanos, 1_000, 3) + "µs" : fraction(nanos, 1_000_000, 6) + "ms";
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
        long secondNanos = duration.toSecondsPart() * 1_000_000_000L + duration.getNano();
        return text.append(fraction(secondNanos, 1_000_000_000L, 9)).append('s').toString();
    }

    /** {@code value / unit} in decimal, with as many of the {@code digits} fraction digits as it needs. */
    private static String fraction(long value, long unit, int digits) {
        long rest = value % unit;
        String whole = Long.toString(value / unit);
        if (rest == 0) {
            return whole;
        }
        return whole + "." + String.format("%0" + digits + "d", rest).replaceAll("0+$", "");
    }

    private static BigDecimal unitNanos(String unit) {
        return BigDecimal.valueOf(switch (unit) {
            case "ns" -> 1L;
            case "us", "µs" -> 1_000L;
            case "ms" -> 1_000_000L;
            case "s" -> 1_000_000_000L;
            case "m" -> 60_000_000_000L;
            default -> 3_600_000_000_000L;
        });
    }
}
