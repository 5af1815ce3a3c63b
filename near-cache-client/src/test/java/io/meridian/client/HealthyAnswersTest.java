package io.meridian.client;

import io.meridian.registry.InstanceEntry;
import io.meridian.registry.ServiceInstance;
import io.meridian.registry.ServiceView;
import io.meridian.registry.Weights;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/** Answers kept per service and query, handed back only for the very view they were worked out for. */
class HealthyAnswersTest {

    private final HealthyAnswers answers = new HealthyAnswers();

    @Test
    void theSameViewAndQueryAreAnsweredWithTheListKeptForThem() {
        ServiceView view = view(5, "a-1");
        assertNull(answers.kept(view, InstanceQuery.ANY));
        answers.keep(view, InstanceQuery.ANY, view.instances());
        assertSame(view.instances(), answers.kept(view, InstanceQuery.ANY));
        assertNull(answers.kept(view, new InstanceQuery(List.of("blue"), Map.of(), null)), "another query");
    }

    @Test
    void aNewViewOfTheServiceIsNotAnsweredWithTheOldListEvenAtTheSameIndex() {
        ServiceView view = view(5, "a-1");
        answers.keep(view, InstanceQuery.ANY, view.instances());
        assertNull(answers.kept(view(5, "a-1", "a-2"), InstanceQuery.ANY));
    }

    @Test
    void manyDifferentQueriesOfOneServiceDoNotGrowWithoutBound() {
        ServiceView view = view(5, "a-1");
        for (int i = 0; i < 10 * HealthyAnswers.QUERIES_PER_SERVICE; i++) {
            answers.keep(view, new InstanceQuery(List.of("tag-" + i), Map.of(), null), view.instances());
        }
        assertNull(answers.kept(view, new InstanceQuery(List.of("tag-0"), Map.of(), null)),
                "an early query was dropped when the service's answers started over");
    }

    private static ServiceView view(long index, String... ids) {
        return new ServiceView("default", "svc", index, java.util.Arrays.stream(ids)
                .map(id -> new InstanceEntry(new ServiceInstance("default", "svc", id, "10.0.0.1", 80, List.of(),
                        Map.of(), new Weights(1, 1), false, List.of(), ""), 1, 1))
                .toList());
    }
}
