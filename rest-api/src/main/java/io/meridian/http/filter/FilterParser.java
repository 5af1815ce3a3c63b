package io.meridian.http.filter;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;

/**
 * A recursive-descent reader of filter expressions:
 * <pre>
 * or         := and ("or" and)*
 * and        := unary ("and" unary)*
 * unary      := "not" unary | "(" or ")" | comparison
 * comparison := selector ("==" | "!=") value
 *             | selector ["not"] ("contains" | "matches") value
 *             | value ["not"] "in" selector
 * </pre>
 * Keywords are case-sensitive, as in Consul. A {@code matches} pattern is RE2 syntax, as Go's (and so Consul's), and
 * runs in time linear in the value (RE2/J): no pattern a request sends can make a lookup backtrack for seconds. Not
 * thread-safe: one parser reads one expression.
 */
final class FilterParser {

    /** The longest {@code matches} pattern accepted; RE2's cost grows with the pattern as well as the value. */
    static final int MAX_PATTERN_LENGTH = 512;

    private final String source;
    private final Selectors<?> selectors;
    private int at;

    FilterParser(String source, Selectors<?> selectors) {
        this.source = source;
        this.selectors = selectors;
    }

    FilterExpression parse() {
        FilterExpression expression = or();
        skipSpace();
        if (at < source.length()) {
            throw error("unexpected '" + source.charAt(at) + "'");
        }
        return expression;
    }

    private FilterExpression or() {
        FilterExpression left = and();
        while (keyword("or")) {
            left = new FilterExpression.Or(left, and());
        }
        return left;
    }

    private FilterExpression and() {
        FilterExpression left = unary();
        while (keyword("and")) {
            left = new FilterExpression.And(left, unary());
        }
        return left;
    }

    private FilterExpression unary() {
        if (keyword("not")) {
            return new FilterExpression.Not(unary());
        }
        skipSpace();
        if (peek('(')) {
            at++;
            FilterExpression inner = or();
            skipSpace();
            if (!peek(')')) {
                throw error("expected ')'");
            }
            at++;
            return inner;
        }
        return comparison();
    }

    private FilterExpression comparison() {
        skipSpace();
        int start = at;
        boolean quoted = peek('"') || peek('`');
        String first = operand("a selector or a value");
        if (!quoted && (isSelector(first) || !keywordAhead("in") && !keywordAhead("not"))) {
            return selectorComparison(first, start);
        }
        boolean negated = keyword("not");
        if (!keyword("in")) {
            throw error("expected 'in' after a value");
        }
        skipSpace();
        int selectorAt = at;
        String selector = operand("a selector");
        requireSelector(selector, selectorAt);
        FilterExpression in = new FilterExpression.Equals(selector, first);
        return negated ? new FilterExpression.Not(in) : in;
    }

    private FilterExpression selectorComparison(String selector, int selectorAt) {
        requireSelector(selector, selectorAt);
        skipSpace();
        if (source.startsWith("==", at) || source.startsWith("!=", at)) {
            boolean equal = source.charAt(at) == '=';
            at += 2;
            FilterExpression equals = new FilterExpression.Equals(selector, value());
            return equal ? equals : new FilterExpression.Not(equals);
        }
        boolean negated = keyword("not");
        if (keyword("contains")) {
            FilterExpression contains = new FilterExpression.Equals(selector, value());
            return negated ? new FilterExpression.Not(contains) : contains;
        }
        if (keyword("matches")) {
            skipSpace();
            int regexAt = at;
            String regex = value();
            if (regex.length() > MAX_PATTERN_LENGTH) {
                at = regexAt;
                throw error("a regular expression of at most " + MAX_PATTERN_LENGTH + " characters");
            }
            try {
                FilterExpression matches = new FilterExpression.Matches(selector, Pattern.compile(regex));
                return negated ? new FilterExpression.Not(matches) : matches;
            } catch (PatternSyntaxException e) {
                at = regexAt;
                throw error("not a regular expression (" + e.getMessage() + ")");
            }
        }
        throw error("expected ==, !=, contains, matches, not contains or not matches");
    }

    private String value() {
        skipSpace();
        return operand("a value");
    }

    /** A quoted string, or a bare word of letters, digits and {@code . _ - : /}. */
    private String operand(String what) {
        skipSpace();
        if (at >= source.length()) {
            throw error("expected " + what);
        }
        char open = source.charAt(at);
        if (open == '"' || open == '`') {
            int close = source.indexOf(open, at + 1);
            if (close < 0) {
                throw error("unterminated string");
            }
            String text = source.substring(at + 1, close);
            at = close + 1;
            return text;
        }
        int start = at;
        while (at < source.length() && isWordChar(source.charAt(at))) {
            at++;
        }
        if (start == at) {
            throw error("expected " + what);
        }
        return source.substring(start, at);
    }

    private void requireSelector(String selector, int position) {
        if (!isSelector(selector)) {
            at = position;
            throw error("unknown selector '" + selector + "'");
        }
    }

    private boolean isSelector(String word) {
        return selectors.knows(word);
    }

    /** Consumes the keyword if it comes next as a whole word. */
    private boolean keyword(String word) {
        if (keywordAhead(word)) {
            skipSpace();
            at += word.length();
            return true;
        }
        return false;
    }

    private boolean keywordAhead(String word) {
        int from = at;
        while (from < source.length() && Character.isWhitespace(source.charAt(from))) {
            from++;
        }
        int end = from + word.length();
        return source.startsWith(word, from) && (end == source.length() || !isWordChar(source.charAt(end)));
    }

    private static boolean isWordChar(char c) {
        return Character.isLetterOrDigit(c) || c == '.' || c == '_' || c == '-' || c == ':' || c == '/';
    }

    private boolean peek(char c) {
        return at < source.length() && source.charAt(at) == c;
    }

    private void skipSpace() {
        while (at < source.length() && Character.isWhitespace(source.charAt(at))) {
            at++;
        }
    }

    private FilterSyntaxException error(String problem) {
        return new FilterSyntaxException(at + 1, problem);
    }
}
