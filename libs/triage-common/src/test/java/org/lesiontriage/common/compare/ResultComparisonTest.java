package org.lesiontriage.common.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.lesiontriage.common.labels.Label;

@Tag("unit")
class ResultComparisonTest {

    private static final String OLD = "proposed 1.0.0 (threshold 0.5000)";
    private static final String NEW = "lknet 1.0.0 (threshold 0.5000)";

    @Test
    void countsAgreementAndListsEachPriorityChangeByEventId() {
        Map<String, ScoredEvent> baseline = events(OLD, "a", 0.9, "b", 0.6, "c", 0.2, "d", 0.1, "only-old", 0.5);
        Map<String, ScoredEvent> candidate = events(NEW, "a", 0.8, "b", 0.3, "c", 0.7, "d", 0.1, "only-new", 0.5);

        ResultComparison c = ResultComparison.of(baseline, candidate, Map.of());

        assertThat(c.joined()).isEqualTo(4);
        assertThat(c.baselineOnly()).isEqualTo(1);
        assertThat(c.candidateOnly()).isEqualTo(1);
        assertThat(c.samePriority()).isEqualTo(2);
        assertThat(c.agreement()).isEqualTo(0.5);
        assertThat(c.urgentToRoutine()).containsExactly("b");
        assertThat(c.routineToUrgent()).containsExactly("c");
        assertThat(c.baselineUrgent()).isEqualTo(2);
        assertThat(c.candidateUrgent()).isEqualTo(2);
        assertThat(c.shift().meanDelta()).isCloseTo((-0.1 - 0.3 + 0.5 + 0.0) / 4, within(1e-12));
        assertThat(c.shift().maxAbsDelta()).isCloseTo(0.5, within(1e-12));
        assertThat(c.shift().baselineHistogram()).containsExactly(histogram(0.9, 0.6, 0.2, 0.1));
        assertThat(c.baselineModel()).isEqualTo(OLD);
        assertThat(c.candidateMetrics().labelled()).isZero();
        assertThat(c.candidateMetrics().auc()).isNaN();
        assertThat(c.identical(1e-5)).isFalse();
    }

    @Test
    void aReplayWithTheSameModelIsIdenticalWithinRounding() {
        Map<String, ScoredEvent> live = events(OLD, "a", 0.9, "b", 0.2);
        assertThat(ResultComparison.of(live, events(OLD, "a", 0.900001, "b", 0.2), Map.of()).identical(1e-5)).isTrue();
        assertThat(ResultComparison.of(live, events(OLD, "a", 0.91, "b", 0.2), Map.of()).identical(1e-5)).isFalse();
        assertThat(ResultComparison.of(live, events(OLD, "a", 0.9), Map.of()).identical(1e-5))
                .as("an event missing from the replay").isFalse();
    }

    @Test
    void scoresBothModelsOnTheSameLabelledEvents() {
        Map<String, ScoredEvent> baseline = events(OLD, "m1", 0.9, "m2", 0.4, "n1", 0.6, "n2", 0.1);
        Map<String, ScoredEvent> candidate = events(NEW, "m1", 0.9, "m2", 0.7, "n1", 0.2, "n2", 0.1);
        Map<String, Label> labels = Map.of("m1", Label.MELANOMA, "m2", Label.MELANOMA, "n1", Label.NON_MELANOMA,
                "n2", Label.NON_MELANOMA);

        ResultComparison c = ResultComparison.of(baseline, candidate, labels);

        assertThat(c.baselineMetrics().labelled()).isEqualTo(4);
        assertThat(c.baselineMetrics().sensitivity()).isEqualTo(0.5);
        assertThat(c.baselineMetrics().specificity()).isEqualTo(0.5);
        assertThat(c.baselineMetrics().auc()).isEqualTo(0.75);
        assertThat(c.candidateMetrics().sensitivity()).isEqualTo(1.0);
        assertThat(c.candidateMetrics().specificity()).isEqualTo(1.0);
        assertThat(c.candidateMetrics().auc()).isEqualTo(1.0);
        assertThat(c.candidateMetrics().brier()).isCloseTo((0.01 + 0.09 + 0.04 + 0.01) / 4, within(1e-12));
    }

    @Test
    void changesAreCountedByClinicWithTheMostUrgentToRoutineFirst() {
        // clinic-a: one URGENT -> ROUTINE; clinic-b: one ROUTINE -> URGENT and one unchanged; clinic-c: unchanged
        var baseline = events("live", "a1", 0.8, "b1", 0.2, "b2", 0.9, "c1", 0.1);
        var candidate = events("shadow", "a1", 0.3, "b1", 0.6, "b2", 0.95, "c1", 0.1);

        var clinics = ResultComparison.of(baseline, candidate, Map.of()).byClinic();

        assertThat(clinics).extracting(ResultComparison.ClinicChanges::clinicId)
                .containsExactly("clinic-a", "clinic-b", "clinic-c");
        assertThat(clinics.get(0)).satisfies(a -> {
            assertThat(a.urgentToRoutine()).isEqualTo(1);
            assertThat(a.meanDelta()).isCloseTo(-0.5, org.assertj.core.data.Offset.offset(1e-9));
        });
        assertThat(clinics.get(1)).satisfies(b -> {
            assertThat(b.joined()).isEqualTo(2);
            assertThat(b.routineToUrgent()).isEqualTo(1);
            assertThat(b.agreement()).isEqualTo(0.5);
        });
        assertThat(clinics.get(2).agreement()).isEqualTo(1.0);
    }

    @Test
    void aWindowKeepsTheEventsReceivedInIt() {
        var events = events("live", "a1", 0.8, "b1", 0.2, "b2", 0.9); // received at 0, 2000 and 4000 ms

        assertThat(ResultComparison.within(events, 1000, 4000)).containsOnlyKeys("b1");
        assertThat(ResultComparison.within(events, Long.MIN_VALUE, Long.MAX_VALUE)).hasSize(3);
    }

    /** id, p, id, p, ...; urgent when p >= 0.5. */
    private static Map<String, ScoredEvent> events(String model, Object... idsAndProbabilities) {
        Map<String, ScoredEvent> events = new LinkedHashMap<>();
        for (int i = 0; i < idsAndProbabilities.length; i += 2) {
            String id = (String) idsAndProbabilities[i];
            double p = (Double) idsAndProbabilities[i + 1];
            events.put(id, new ScoredEvent(id, p, p >= 0.5, model, "clinic-" + id.charAt(0), i * 1000L));
        }
        return events;
    }

    private static int[] histogram(double... probabilities) {
        int[] bins = new int[ResultComparison.BINS];
        for (double p : probabilities) {
            bins[(int) (p * ResultComparison.BINS)]++;
        }
        return bins;
    }
}
