package org.lesiontriage.compare;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.lesiontriage.cli.ArgumentReader;
import org.lesiontriage.cli.ConnectionDefaults;
import org.lesiontriage.cli.QuietLogging;
import org.lesiontriage.cli.UsageException;
import org.lesiontriage.contracts.Topics;
import org.lesiontriage.labels.Label;
import org.lesiontriage.labels.LabelledEvent;
import org.lesiontriage.labels.LabelsFile;

/**
 * {@code bin/compare}: a re-scored results topic beside the live one. Prints the report and writes it as
 * Markdown with a PNG of the p(melanoma) distributions and a JSON file with every changed event id.
 * Exit status 0 done, 1 a topic could not be read or holds duplicates, 2 bad command line.
 */
public final class CompareCommand {

    static final String USAGE = """
            Usage: bin/compare --candidate TOPIC [options]
              --candidate TOPIC          re-scored results (bin/rescore's --output)
              --baseline TOPIC           results to compare with (default: triage-results, the live service's)
              --labels FILE              event_id<TAB>label lines (bin/simulate --labels-out) for both models' metrics
              --report FILE              Markdown report; the plot and the JSON go next to it
                                         (default: .rescore/compare/CANDIDATE.md)
              --expect-identical         exit 1 unless both topics answer the same events with the same priorities
                                         and p(melanoma) within 1e-5 (a replay with the live model)
              --bootstrap-servers HOSTS  default: $KAFKA_BOOTSTRAP_SERVERS or 127.0.0.1:9092
              --registry-url URL         default: $SCHEMA_REGISTRY_URL or http://127.0.0.1:8081/apis/ccompat/v7
            """;

    /** Batches of different sizes may round p(melanoma) differently in the last float digits. */
    static final double IDENTICAL_WITHIN = 1e-5;

    private CompareCommand() {
    }

    public static void main(String[] args) {
        QuietLogging.apply();
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        String baseline = Topics.TRIAGE_RESULTS;
        String candidate = null;
        Path labelsFile = null;
        Path report = null;
        boolean expectIdentical = false;
        String bootstrap = ConnectionDefaults.bootstrapServers(env);
        String registry = ConnectionDefaults.registryUrl(env);
        try {
            ArgumentReader reader = new ArgumentReader(args);
            while (reader.hasNext()) {
                String option = reader.nextOption();
                switch (option) {
                    case "--help", "-h" -> {
                        out.print(USAGE);
                        return 0;
                    }
                    case "--candidate" -> candidate = reader.text(option);
                    case "--baseline" -> baseline = reader.text(option);
                    case "--labels" -> labelsFile = reader.path(option);
                    case "--report" -> report = reader.path(option);
                    case "--expect-identical" -> {
                        reader.noValue(option);
                        expectIdentical = true;
                    }
                    case "--bootstrap-servers" -> bootstrap = reader.text(option);
                    case "--registry-url" -> registry = reader.text(option);
                    default -> throw new UsageException("unknown option " + option);
                }
            }
            if (candidate == null) {
                throw new UsageException("--candidate is required");
            }
        } catch (UsageException e) {
            err.println("compare: " + e.getMessage());
            err.print(USAGE);
            return 2;
        }
        if (report == null) {
            report = Path.of(".rescore", "compare", candidate + ".md");
        }
        try {
            Properties client = new Properties();
            client.put("bootstrap.servers", bootstrap);
            var reader = new ResultsTopicReader(client, Map.of("schema.registry.url", registry));
            var before = reader.read(baseline, Duration.ofMinutes(2));
            var after = reader.read(candidate, Duration.ofMinutes(2));
            ResultComparison comparison = ResultComparison.of(before.byEventId(), after.byEventId(), labels(labelsFile));
            write(comparison, baseline, candidate, report);
            out.print(ComparisonReport.markdown(comparison, baseline, candidate, null));
            err.println("report: " + report.toAbsolutePath());
            if (before.duplicates() + after.duplicates() > 0) {
                err.printf("compare: duplicated results: %d in %s, %d in %s%n", before.duplicates(), baseline,
                        after.duplicates(), candidate);
                return 1;
            }
            if (expectIdentical && !comparison.identical(IDENTICAL_WITHIN)) {
                err.printf("compare: not identical: %d joined of %d and %d, %d priorities changed, max |p shift| %.2e%n",
                        comparison.joined(), before.byEventId().size(), after.byEventId().size(),
                        comparison.joined() - comparison.samePriority(), comparison.shift().maxAbsDelta());
                return 1;
            }
            if (expectIdentical) {
                err.println("compare: identical (" + comparison.joined() + " events)");
            }
            return 0;
        } catch (IOException | RuntimeException e) {
            err.println("compare: " + e.getMessage());
            return 1;
        }
    }

    /** Writes the Markdown report, its plot and the JSON with every figure and changed event id. */
    static void write(ResultComparison comparison, String baseline, String candidate, Path report) throws IOException {
        Path folder = report.toAbsolutePath().getParent();
        Files.createDirectories(folder);
        String stem = report.getFileName().toString().replaceFirst("\\.md$", "");
        Path chart = folder.resolve(stem + ".png");
        ShiftChart.write(comparison, chart);
        Files.writeString(report, ComparisonReport.markdown(comparison, baseline, candidate, chart.getFileName().toString()));
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(folder.resolve(stem + ".json").toFile(), comparison);
    }

    private static Map<String, Label> labels(Path file) throws IOException {
        Map<String, Label> labels = new HashMap<>();
        if (file != null) {
            for (LabelledEvent event : LabelsFile.read(file).values()) {
                labels.put(event.eventId(), event.label());
            }
        }
        return labels;
    }
}
