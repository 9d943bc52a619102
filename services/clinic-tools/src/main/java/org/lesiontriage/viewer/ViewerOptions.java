package org.lesiontriage.viewer;

import java.nio.file.Path;
import java.util.Map;
import org.lesiontriage.cli.ArgumentReader;
import org.lesiontriage.cli.ClientSettings;
import org.lesiontriage.cli.ConnectionDefaults;
import org.lesiontriage.cli.UsageException;
import org.lesiontriage.contracts.Topics;

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

    public static final String USAGE = """
            Usage: bin/viewer [options]
            Follows triage-results and triage-failures from the beginning (read_committed), shows the live triage
            queue, and prints the run's counts, latencies and, given the simulator's labels, its accuracy.

              --bootstrap-servers HOSTS  Kafka bootstrap servers (default: $KAFKA_BOOTSTRAP_SERVERS or 127.0.0.1:9092)
              --registry-url URL         schema registry, Confluent API (default: $SCHEMA_REGISTRY_URL or
                                         http://127.0.0.1:8081/apis/ccompat/v7)
              --kafka-config FILE        Kafka client and registry settings for a secured cluster, as a properties
                                         file: security.protocol, sasl.*, ssl.*, schema.registry.ssl.truststore.*,
                                         basic.auth.user.info (default: $KAFKA_CONFIG_FILE; see docs/operations.md)
              --results-topic NAME       default: triage-results
              --failures-topic NAME      default: triage-failures
              --group ID                 consumer group (default: a new one per run, so every run reads everything;
                                         a named group commits and resumes where it stopped)
              --expect N                 stop once N results + dead letters were counted
              --idle-timeout S           stop when nothing new was counted for S seconds, 0 = never, only
                                         --expect or Ctrl-C stop it (default: 30)
              --labels FILE              the simulator's --labels-out file: only its events count, and their
                                         labels give the confusion matrix, sensitivity, specificity and AUC
              --check-card FILE          compare the run's test metrics with a model-card.json; exit 1 on a mismatch
              --report FILE              also write the summary as JSON
              --top N                    cases shown in the live queue (default: 15)
              --help                     show this help
            Exit status: 0 done, 1 --check-card failed or --expect not reached, 2 on a bad command line.
            """;

    public static ViewerOptions parse(String[] args) {
        return parse(args, System.getenv());
    }

    static ViewerOptions parse(String[] args, Map<String, String> env) {
        boolean help = false;
        String bootstrap = ConnectionDefaults.bootstrapServers(env);
        String registry = ConnectionDefaults.registryUrl(env);
        ClientSettings clientSettings = null;
        String results = Topics.TRIAGE_RESULTS;
        String failures = Topics.TRIAGE_FAILURES;
        String group = null;
        int expect = 0;
        int idle = 30;
        Path labels = null;
        Path report = null;
        Path card = null;
        int top = 15;
        ArgumentReader reader = new ArgumentReader(args);
        while (reader.hasNext()) {
            String option = reader.nextOption();
            switch (option) {
                case "--help", "-h" -> {
                    reader.noValue(option);
                    help = true;
                }
                case "--bootstrap-servers" -> bootstrap = reader.text(option);
                case "--registry-url" -> registry = reader.text(option);
                case ClientSettings.OPTION -> clientSettings = ClientSettings.read(reader.path(option));
                case "--results-topic" -> results = reader.text(option);
                case "--failures-topic" -> failures = reader.text(option);
                case "--group" -> group = reader.text(option);
                case "--expect" -> expect = reader.positiveInt(option);
                case "--idle-timeout" -> idle = reader.nonNegativeInt(option);
                case "--labels" -> labels = reader.path(option);
                case "--check-card" -> card = reader.path(option);
                case "--report" -> report = reader.path(option);
                case "--top" -> top = reader.positiveInt(option);
                default -> throw new UsageException("unknown option " + option);
            }
        }
        return new ViewerOptions(help, bootstrap, registry, results, failures, group, expect, idle, labels, report,
                card, top, clientSettings != null ? clientSettings : ConnectionDefaults.clientSettings(env));
    }
}
