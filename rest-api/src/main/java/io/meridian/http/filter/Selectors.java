package io.meridian.http.filter;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The selectors a filter may use on one kind of thing, each with how to read its values from a thing; a selector
 * ending in {@code .} takes a key after it ({@code Service.Meta.version}). Immutable.
 *
 * @param <T> what is filtered
 */
public final class Selectors<T> {

    private final Map<String, Function<T, List<String>>> plain;
    private final Map<String, KeyedReader<T>> keyed;

    /** How a keyed selector reads the values of one key. */
    @FunctionalInterface
    public interface KeyedReader<T> {
        List<String> read(T thing, String key);
    }

    public Selectors(Map<String, Function<T, List<String>>> plain, Map<String, KeyedReader<T>> keyed) {
        this.plain = Map.copyOf(plain);
        this.keyed = Map.copyOf(keyed);
    }

    boolean knows(String selector) {
        return plain.containsKey(selector) || keyedPrefix(selector).isPresent();
    }

    /** The values of every selector in one thing, as a filter expression reads them. */
    public Function<String, List<String>> of(T thing) {
        return selector -> {
            Function<T, List<String>> reader = plain.get(selector);
            if (reader != null) {
                return reader.apply(thing);
            }
            return keyedPrefix(selector)
                    .map(prefix -> keyed.get(prefix).read(thing, selector.substring(prefix.length())))
                    .orElse(List.of());
        };
    }

    private Optional<String> keyedPrefix(String selector) {
        return keyed.keySet().stream()
                .filter(prefix -> selector.startsWith(prefix) && selector.length() > prefix.length())
                .findFirst();
    }
}
