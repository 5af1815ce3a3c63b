package io.meridian.http.filter;

import com.google.re2j.Pattern;

import java.util.List;
import java.util.function.Function;

/**
 * A parsed {@code ?filter=} expression in the subset of Consul's filter language that lookups use: comparisons
 * ({@code ==}, {@code !=}, {@code in}, {@code not in}, {@code contains}, {@code not contains}, {@code matches},
 * {@code not matches}) of a selector with a value, joined by {@code and}, {@code or}, {@code not} and parentheses.
 * A selector names zero or more values of the thing filtered (a tag list has several); {@code ==} and
 * {@code matches} hold when any of them does, {@code !=} and {@code not matches} when none does. Values are double-
 * or back-quoted strings, or bare words and numbers. Immutable; equal expressions are equal.
 */
public sealed interface FilterExpression {

    /**
     * Reads an expression whose selectors the given set knows.
     *
     * @throws FilterSyntaxException naming the position where it cannot be read, or an unknown selector
     */
    static FilterExpression parse(String source, Selectors<?> selectors) {
        return new FilterParser(source, selectors).parse();
    }

    /** Whether the values the selectors find in a thing satisfy this expression. */
    boolean test(Function<String, List<String>> valuesOf);

    /** Both hold. */
    record And(FilterExpression left, FilterExpression right) implements FilterExpression {
        @Override
        public boolean test(Function<String, List<String>> valuesOf) {
            return left.test(valuesOf) && right.test(valuesOf);
        }
    }

    /** Either holds. */
    record Or(FilterExpression left, FilterExpression right) implements FilterExpression {
        @Override
        public boolean test(Function<String, List<String>> valuesOf) {
            return left.test(valuesOf) || right.test(valuesOf);
        }
    }

    /** It does not hold. */
    record Not(FilterExpression operand) implements FilterExpression {
        @Override
        public boolean test(Function<String, List<String>> valuesOf) {
            return !operand.test(valuesOf);
        }
    }

    /** One of a selector's values equals the value ({@code ==}, {@code in}, {@code contains}). */
    record Equals(String selector, String value) implements FilterExpression {
        @Override
        public boolean test(Function<String, List<String>> valuesOf) {
            return valuesOf.apply(selector).contains(value);
        }
    }

    /** One of a selector's values matches the regular expression, anywhere in it ({@code matches}). */
    record Matches(String selector, Pattern regex) implements FilterExpression {
        @Override
        public boolean test(Function<String, List<String>> valuesOf) {
            return valuesOf.apply(selector).stream().anyMatch(value -> regex.matcher(value).find());
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Matches that && selector.equals(that.selector)
                    && regex.pattern().equals(that.regex.pattern());
        }

        @Override
        public int hashCode() {
            return selector.hashCode() * 31 + regex.pattern().hashCode();
        }
    }
}
