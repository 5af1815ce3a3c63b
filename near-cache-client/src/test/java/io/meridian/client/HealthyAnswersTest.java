package io.meridian.client;

import io.meridian.registry.InstanceEntry;
import io.meridian.registry.ServiceInstance;
import io.meridian.registry.ServiceView;
import io.meridian.registry.Weights;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/** Answers reused while the view is the same object and nothing is ejected; worked out again otherwise. */
class HealthyAnswersTest {

    private final HealthyAnswers answers = new HealthyAnswers();
    private final AtomicInteger computed = new AtomicInteger();

    private List<InstanceEntry> answer(ServiceView view, InstanceQuery query, boolean reusable) {
        return answers.answer(view, query, reusable, () -> {
            computed.incrementAndGet();
            return view.instances();
        });
    }

    @Test
    void theSameViewAndQueryAreAnsweredWithTheListWorkedOutFirst() {
        ServiceView view = view(5, "a-1");
        List<InstanceEntry> first = answer(view, InstanceQuery.ANY, true);
        assertSame(first, answer(view, InstanceQuery.ANY, true));
        assertEquals(1, computed.get());

        answer(view, new InstanceQuery(List.of("blue"), Map.of(), null), true);
        assertEquals(2, computed.get(), "another query is worked out on its own");
    }

    @Test
    void aNewViewOfTheServiceIsWorkedOutAgainEvenAtTheSameIndex() {
        answer(view(5, "a-1"), InstanceQuery.ANY, true);
        List<InstanceEntry> changed = answer(view(5, "a-1", "a-2"), InstanceQuery.ANY, true);
        assertEquals(2, changed.size());
        assertEquals(2, computed.get());
    }

    @Test
    void whileAnInstanceIsEjectedNothingIsReusedOrKept() {
        ServiceView view = view(5, "a-1");
        answer(view, InstanceQuery.ANY, false);
        answer(view, InstanceQuery.ANY, false);
        assertEquals(2, computed.get());
        answer(view, InstanceQuery.ANY, true);
        assertEquals(3, computed.get(), "what was worked out during the ejection was not kept");
    }

    @Test
    void manyDifferentQueriesOfOneServiceDoNotGrowWithoutBound() {
        ServiceView view = view(5, "a-1");
        for (int i = 0; i < 10 * HealthyAnswers.QUERIES_PER_SERVICE; i++) {
            answer(view, new InstanceQuery(List.of("tag-" + i), Map.of(), null), true);
        }
        computed.set(0);
        answer(view, new InstanceQuery(List.of("tag-0"), Map.of(), null), true);
        assertEquals(1, computed.get(), "an early query was dropped when the service's answers started over");
    }

    private static ServiceView view(long index, String... ids) {
        return new ServiceView("default", "svc", index, java.util.Arrays.stream(ids)
                .map(id -> new InstanceEntry(new ServiceInstance("default", "svc", id, "10.0.0.1", 80, List.of(),
                        Map.of(), new Weights(1, 1), false, List.of(), ""), 1, 1))
                .toList());
    }
}
