package org.lesiontriage.clinictools.viewer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class LiveViewTest {

    private static RunCollector queue() {
        RunCollector run = new RunCollector(null);
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        double[] scores = {0.30, 0.95, 0.10, 0.50, 0.20};
        for (int i = 0; i < scores.length; i++) {
            run.accept(new TriageRecord.Scored(TestResults.result(UUID.randomUUID().toString(), "clinic-" + (i + 1),
                    "case-" + i, scores[i], 0.25, t, 40 + i, 1)));
        }
        run.accept(new TriageRecord.Failed(TestResults.deadLetter(null, "IMAGE_UNDECODABLE")));
        return run;
    }

    @Test
    void terminalTableShowsUrgentFirstThenHighestProbabilityCappedAtTop() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new LiveView(new PrintStream(bytes, true, StandardCharsets.UTF_8), true, 4).render(queue(), 3);
        String screen = bytes.toString(StandardCharsets.UTF_8);
        assertThat(screen).startsWith("\033[H\033[2J").contains("5 results, 3 urgent, 1 dead letters");
        assertThat(screen).contains("clinic", "case", "p(melanoma)", "priority", "model", "latency");
        String[] lines = screen.split("\n");
        assertThat(lines[3]).contains("case-1", "0.9500", "URGENT", "proposed 1.0.0", "41 ms");
        assertThat(lines[4]).contains("case-3", "0.5000", "URGENT");
        assertThat(lines[5]).contains("case-0", "0.3000", "URGENT");
        assertThat(lines[6]).contains("case-4", "0.2000", "ROUTINE");
        assertThat(lines).hasSize(7); // --top 4: case-2 (0.10) is not shown
    }

    @Test
    void logLineHasTheCounts() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new LiveView(new PrintStream(bytes, true, StandardCharsets.UTF_8), false, 15).render(queue(), 3);
        assertThat(bytes.toString(StandardCharsets.UTF_8))
                .matches("\\d\\d:\\d\\d:\\d\\d  results 5  urgent 3  dead letters 1\\R");
    }
}
