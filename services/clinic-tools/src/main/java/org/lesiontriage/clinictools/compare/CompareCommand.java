package org.lesiontriage.clinictools.compare;

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
import org.lesiontriage.clinictools.cli.ClientSettings;
import org.lesiontriage.clinictools.cli.CommandLines;
import org.lesiontriage.clinictools.cli.ConnectionOptions;
import org.lesiontriage.clinictools.cli.QuietLogging;
import org.lesiontriage.clinictools.cli.UsageException;
import org.lesiontriage.contracts.Topics;
import org.lesiontriage.common.labels.LabelledEvent;
import org.lesiontriage.common.labels.LabelsFile;
import org.lesiontriage.common.compare.ResultComparison;
import org.lesiontriage.common.compare.ScoredEvent;
import org.lesiontriage.common.compare.ResultsTopicReader;
import org.lesiontriage.common.labels.Label;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code bin/compare}: a re-scored results topic beside the live one. Prints the report and writes it as
 * Markdown with a PNG of the p(melanoma) distributions and a JSON file with every changed event id.
 * Exit status 0 done, 1 a topic could not be read or holds duplicates, 2 bad command line.
 */
public final class CompareCommand {

    @Command(name = "bin/compare", mixinStandardHelpOptions = true, sortOptions = false,
            description = "A re-scored results topic beside the live one: agreement, priority changes, p(melanoma) "
                    + "shift and, with labels, both models' metrics.",
            footer = "Exit status: 0 done, 1 a topic could not be read or holds duplicates, 2 bad command line.")
    static final class Spec {
        @Option(names = "--candidate", required = true, paramLabel = "TOPIC",
                description = "re-scored results (bin/rescore's --output)")
        String candidate;

        @Option(names = "--baseline", paramLabel = "TOPIC",
                description = "results to compare with (default: triage-results, the live service's)")
        String baseline = Topics.TRIAGE_RESULTS;

        @Option(names = "--labels", paramLabel = "FILE",
                description = "event_id<TAB>label lines (bin/simulate --labels-out) for both models' metrics")
        Path labels;

        @Option(names = "--report", paramLabel = "FILE", description = "Markdown report; the plot and the JSON go next "
                + "to it (default: .rescore/compare/CANDIDATE.md)")
        Path report;

        @Option(names = "--expect-identical", description = "exit 1 unless both topics answer the same events with the "
                + "same priorities and p(melanoma) within 1e-5 (a replay with the live model)")
        boolean expectIdentical;

        @Option(names = "--since", paramLabel = "INSTANT", description = "only events received at or after this "
                + "instant, e.g. 2026-12-07T08:00:00Z (default: the beginning)")
        java.time.Instant since;

        @Option(names = "--until", paramLabel = "INSTANT", description = "only events received before this instant "
                + "(default: now)")
        java.time.Instant until;

        @Mixin
        ConnectionOptions connection = new ConnectionOptions();
    }

    /** Batches of different sizes may round p(melanoma) differently in the last float digits. */
    static final double IDENTICAL_WITHIN = 1e-5;

    private CompareCommand() {
    }

    public static void main(String[] args) {
        QuietLogging.apply();
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        Spec spec = new Spec();
        try {
            if (CommandLines.parse(spec, args)) {
                out.print(CommandLines.usage(spec));
                return 0;
            }
        } catch (UsageException e) {
            err.println("compare: " + e.getMessage() + " (see --help)");
            return 2;
        }
        String baseline = spec.baseline;
        String candidate = spec.candidate;
        boolean expectIdentical = spec.expectIdentical;
        Path report = spec.report != null ? spec.report : Path.of(".rescore", "compare", candidate + ".md");
        Path labelsFile = spec.labels;
        try {
            ClientSettings security = spec.connection.clientSettings(env);
            Properties client = new Properties();
            client.put("bootstrap.servers", spec.connection.bootstrapServers(env));
            var reader = new ResultsTopicReader(security.applyTo(client),
                    security.serdeConfig(spec.connection.registryUrl(env)));
            var before = reader.read(baseline, Duration.ofMinutes(2));
            var after = reader.read(candidate, Duration.ofMinutes(2));
            long from = spec.since == null ? Long.MIN_VALUE : spec.since.toEpochMilli();
            long to = spec.until == null ? Long.MAX_VALUE : spec.until.toEpochMilli();
            var baselineWindow = ResultComparison.within(before.byEventId(), from, to);
            var candidateWindow = new HashMap<String, ScoredEvent>();
            after.byEventId().forEach((id, event) -> {
                boolean ownWindow = !before.byEventId().containsKey(id) && event.receivedAtMs() >= from
                        && event.receivedAtMs() < to;
                if (baselineWindow.containsKey(id) || ownWindow) {
                    candidateWindow.put(id, event);
                }
            });
            ResultComparison comparison = ResultComparison.of(baselineWindow, candidateWindow, labels(labelsFile));
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
