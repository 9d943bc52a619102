package org.lesiontriage.clinictools.viewer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.lesiontriage.contracts.ModelRef;
import org.lesiontriage.contracts.TriageResult;

/** The end-of-run numbers: after a switch or during a canary, which clinic got which version. */
@Tag("unit")
class RunSummaryTest {

    private static final ModelRef CANDIDATE = ModelRef.newBuilder(TestResults.MODEL).setVersion("1.1.0").build();

    @Test
    void resultsAreCountedByClinicAndVersion() {
        RunCollector collector = new RunCollector(null);
        Instant captured = Instant.parse("2026-01-01T00:00:00Z");
        for (int i = 0; i < 6; i++) {
            String clinic = i % 2 == 0 ? "clinic-1" : "clinic-2";
            TriageResult result = TestResults.result(UUID.randomUUID().toString(), clinic, "case-" + i, 0.4, 0.3,
                    captured, 100, 2);
            if (clinic.equals("clinic-1") && i >= 2) {
                result.setModel(CANDIDATE); // on the canary from the second image on
            }
            collector.accept(new TriageRecord.Scored(result));
        }
        RunSummary summary = RunSummary.of(collector, 1);

        assertThat(summary.modelsByClinic()).containsExactlyEntriesOf(new java.util.TreeMap<>(Map.of(
                "clinic-1", new java.util.TreeMap<>(Map.of("1.0.0", 1L, "1.1.0", 2L)),
                "clinic-2", new java.util.TreeMap<>(Map.of("1.0.0", 3L)))));
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        SummaryText.print(summary, new PrintStream(text, true, StandardCharsets.UTF_8));
        assertThat(text.toString(StandardCharsets.UTF_8)).contains("clinic-1       1.0.0: 1, 1.1.0: 2")
                .contains("clinic-2       1.0.0: 3");
    }
}
