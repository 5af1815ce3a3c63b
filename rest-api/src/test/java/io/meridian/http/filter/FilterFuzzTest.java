package io.meridian.http.filter;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import java.util.List;

/**
 * {@code ?filter=} expressions: any text parses or is refused with a {@link FilterSyntaxException} (a 400), and a
 * parsed expression evaluates against an instance without throwing. Regular expressions' running time is the
 * security issue's business (RE2/J); values here are short.
 */
class FilterFuzzTest {

    // load-tests/fuzz.sh bounds a fuzzing run; mvn verify replays the corpus only.
    @FuzzTest(maxDuration = "24h")
    void anExpressionParsesAndEvaluatesOrIsA400(FuzzedDataProvider data) {
        String source = data.consumeRemainingAsString();
        FilterExpression expression;
        try {
            expression = FilterExpression.parse(source, InstanceSelectors.HEALTH);
        } catch (FilterSyntaxException refused) {
            return;
        }
        expression.test(selector -> List.of("web", "v1", "10.0.0.1"));
        expression.test(selector -> List.of());
    }
}
