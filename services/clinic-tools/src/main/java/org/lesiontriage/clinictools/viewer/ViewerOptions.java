package org.lesiontriage.clinictools.viewer;

import java.nio.file.Path;
import java.util.Map;
import org.lesiontriage.clinictools.cli.ClientSettings;
import org.lesiontriage.clinictools.cli.CommandLines;
import org.lesiontriage.clinictools.cli.ConnectionOptions;
import org.lesiontriage.contracts.Topics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Command line of bin/viewer. */
public record ViewerOptions(
        boolean help,
        String bootstrapServers,
        String registryUrl,
        String resultsTopic,
        String failuresTopic,
        String group,
        int expect,
        int idleTimeoutSeconds,
        Path labels,
        Path report,
        Path checkCard,
        int top,
        ClientSettings clientSettings) {

    @Command(name = "bin/viewer", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Follows triage-results and triage-failures from the beginning (read_committed), shows the "
                    + "live triage queue, and prints the run's counts, latencies and, given the simulator's labels, its "
                    + "accuracy."},
            footer = "Exit status: 0 done, 1 --check-card failed or --expect not reached, 2 on a bad command line.")
    static final class Spec {
        @Mixin
        ConnectionOptions connection = new ConnectionOptions();

        @Option(names = "--results-topic", paramLabel = "NAME", description = "default: triage-results")
        String results = Topics.TRIAGE_RESULTS;

        @Option(names = "--failures-topic", paramLabel = "NAME", description = "default: triage-failures")
        String failures = Topics.TRIAGE_FAILURES;

        @Option(names = "--group", paramLabel = "ID", description = "consumer group (default: a new one per run, so every "
                + "run reads everything; a named group commits and resumes where it stopped)")
        String group;

        @Option(names = "--expect", paramLabel = "N", description = "stop once N results + dead letters were counted")
        Integer expect;

        @Option(names = "--idle-timeout", paramLabel = "S", description = "stop when nothing new was counted for S "
                + "seconds, 0 = never, only --expect or Ctrl-C stop it (default: 30)")
        int idle = 30;

        @Option(names = "--labels", paramLabel = "FILE", description = "the simulator's --labels-out file: only its events "
                + "count, and their labels give the confusion matrix, sensitivity, specificity and AUC")
        Path labels;

        @Option(names = "--check-card", paramLabel = "FILE",
                description = "compare the run's test metrics with a model-card.json; exit 1 on a mismatch")
        Path card;

        @Option(names = "--report", paramLabel = "FILE", description = "also write the summary as JSON")
        Path report;

        @Option(names = "--top", paramLabel = "N", description = "cases shown in the live queue (default: 15)")
        int top = 15;
    }

    public static String usage() {
        return CommandLines.usage(new Spec());
    }

    public static ViewerOptions parse(String[] args) {
        return parse(args, System.getenv());
    }

    static ViewerOptions parse(String[] args, Map<String, String> env) {
        Spec spec = new Spec();
        boolean help = CommandLines.parse(spec, args);
        int expect = spec.expect == null ? 0 : CommandLines.positive(spec.expect, "--expect");
        return new ViewerOptions(help, spec.connection.bootstrapServers(env), spec.connection.registryUrl(env),
                spec.results, spec.failures, spec.group, expect, CommandLines.nonNegative(spec.idle, "--idle-timeout"),
                spec.labels, spec.report, spec.card, CommandLines.positive(spec.top, "--top"),
                spec.connection.clientSettings(env));
    }
}
