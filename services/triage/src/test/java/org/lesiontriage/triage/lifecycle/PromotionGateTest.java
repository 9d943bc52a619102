package org.lesiontriage.triage.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.lesiontriage.common.compare.ResultComparison;
import org.lesiontriage.common.compare.ScoredEvent;
import org.lesiontriage.common.labels.Label;
import org.lesiontriage.contracts.GateDecision;

/** The promotion gate's judgement on a comparison: flips, the sensitivity floor, and too little evidence. */
@Tag("unit")
class PromotionGateTest {

    private static final PromotionGate.Limits LIMITS = new PromotionGate.Limits(0.05, 50, 0.85, 20);

    private final Map<String, ScoredEvent> live = new HashMap<>();
    private final Map<String, ScoredEvent> candidate = new HashMap<>();
    private final Map<String, Label> labels = new HashMap<>();

    /** {@code n} events, the live version URGENT on the first {@code urgent}, the candidate on {@code stillUrgent}. */
    private void events(int n, int urgent, int stillUrgent) {
        for (int i = 0; i < n; i++) {
            String id = "e" + i;
            live.put(id, new ScoredEvent(id, i < urgent ? 0.8 : 0.1, i < urgent, "triagenet 2.0.0 (threshold 0.5)",
                    "clinic-" + (i % 3), i));
            candidate.put(id, new ScoredEvent(id, i < stillUrgent ? 0.8 : 0.1, i < stillUrgent,
                    "triagenet 3.0.0 (threshold 0.5)", "clinic-" + (i % 3), i));
            labels.put(id, i < urgent ? Label.MELANOMA : Label.NON_MELANOMA);
        }
    }

    private GateDecision decide() {
        return PromotionGate.decide(ResultComparison.of(live, candidate, labels), LIMITS, "shadow");
    }

    @Test
    void anEquivalentCandidatePasses() {
        events(100, 40, 40);
        GateDecision decision = decide();
        assertThat(decision.getPassed()).as(decision.getFindings()).isTrue();
        assertThat(decision.getUrgentToRoutine()).isZero();
        assertThat(decision.getSensitivity()).isEqualTo(1.0);
        assertThat(decision.getFindings()).startsWith("passed: ");
    }

    @Test
    void flipsUpToTheLimitPassAndOneMoreIsRefused() {
        events(100, 40, 38); // 2 of 40 = the 5 % allowed
        assertThat(decide().getPassed()).as(decide().getFindings()).isTrue();
        live.clear();
        candidate.clear();
        events(100, 40, 37);
        GateDecision decision = decide();
        assertThat(decision.getPassed()).isFalse();
        assertThat(decision.getUrgentToRoutine()).isEqualTo(3);
        assertThat(decision.getFindings()).startsWith("refused: URGENT -> ROUTINE 3 of 40 live URGENT");
    }

    @Test
    void aSensitivityBelowTheFloorIsRefusedOnEnoughLabelledEvents() {
        events(100, 40, 40);
        for (int i = 0; i < 10; i++) {
            labels.put("e" + (50 + i), Label.MELANOMA); // melanomas both versions send to ROUTINE
        }
        GateDecision decision = decide();
        assertThat(decision.getSensitivity()).isCloseTo(0.8, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(decision.getPassed()).isFalse();
        assertThat(decision.getFindings()).contains("sensitivity 0.800 on 100 labelled events (floor 0.850; live 0.800)");
    }

    @Test
    void withoutEnoughLabelsSensitivityIsNotJudgedAndSaidSo() {
        events(100, 40, 40);
        labels.clear();
        GateDecision decision = decide();
        assertThat(decision.getPassed()).isTrue();
        assertThat(decision.getSensitivity()).isNull();
        assertThat(decision.getFindings()).contains("sensitivity not judged: 0 labelled events");
    }

    @Test
    void tooLittleEvidenceIsRefused() {
        events(30, 10, 10);
        GateDecision decision = decide();
        assertThat(decision.getPassed()).isFalse();
        assertThat(decision.getFindings()).contains("too little evidence: 30 events compared, at least 50 needed");
    }

    @Test
    void onlyTheNamedVersionsResultsAreJudged() {
        events(10, 5, 5);
        live.put("other", new ScoredEvent("other", 0.9, true, "triagenet 2.0.0-int8 (threshold 0.5)", "c", 0));
        assertThat(PromotionGate.byVersion(live, new ModelKey("triagenet", "2.0.0"))).hasSize(10);
        assertThat(PromotionGate.byVersion(live, new ModelKey("triagenet", "2.0.0-int8"))).containsOnlyKeys("other");
    }
}
