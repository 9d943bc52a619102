package org.lesiontriage.clinic;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.lesiontriage.cli.ArgumentReader;
import org.lesiontriage.cli.ClientSettings;
import org.lesiontriage.cli.ConnectionDefaults;
import org.lesiontriage.cli.UsageException;
import org.lesiontriage.contracts.Topics;

/** Command line of bin/simulate. */
public record SimulatorOptions(
        boolean help,
        String bootstrapServers,
        String registryUrl,
        String topic,
        Path images,
        int synthetic,
        int clinics,
        double rate,
        int limit,
        Path labelsOut,
        ClientSettings clientSettings) {

    /** System property with the repository root, set by bin/simulate; the default image folder hangs off it. */
    public static final String PROJECT_ROOT_PROPERTY = "lesion.project.root";
    /** The ISIC 2017 test split, next to the repository, when it has been fetched. */
    static final String DEFAULT_IMAGES = "../shared/data/isic/test";
    /** Synthetic images published when there is no folder to read. */
    static final int DEFAULT_SYNTHETIC = 24;

    public static final String USAGE = """
            Usage: bin/simulate [options]
            Publishes lesion images as LesionImageEvents, like a clinic would.

              --bootstrap-servers HOSTS  Kafka bootstrap servers (default: $KAFKA_BOOTSTRAP_SERVERS or 127.0.0.1:9092)
              --registry-url URL         schema registry, Confluent API (default: $SCHEMA_REGISTRY_URL or
                                         http://127.0.0.1:8081/apis/ccompat/v7)
              --kafka-config FILE        Kafka client and registry settings for a secured cluster, as a properties
                                         file: security.protocol, sasl.*, ssl.*, schema.registry.ssl.truststore.*,
                                         basic.auth.user.info (default: $KAFKA_CONFIG_FILE; see docs/operations.md)
              --topic NAME               topic to publish to (default: lesion-images)
              --images DIR               publish the .jpg/.jpeg/.png files under DIR, recursively, sorted by file name
                                         (default: ../shared/data/isic/test next to the repository when it exists,
                                         else synthetic images)
              --synthetic N              publish N synthetic lesion-like JPEGs instead (their triage means nothing)
              --clinics N                spread the events over clinic-1..clinic-N (default: 3)
              --rate R                   events per second, 0 = as fast as possible (default: 0)
              --limit N                  publish at most N images (default: all)
              --labels-out FILE          write event_id<TAB>label<TAB>file for every event sent (label = class
                                         folder name melanoma/non_melanoma, else empty), for bin/viewer --labels
              --help                     show this help
            Exit status: 0 when every event was acknowledged, 1 when any send failed, 2 on a bad command line.
            """;

    public static SimulatorOptions parse(String[] args) {
        return parse(args, System.getenv(), System.getProperty(PROJECT_ROOT_PROPERTY));
    }

    static SimulatorOptions parse(String[] args, Map<String, String> env, String projectRoot) {
        boolean help = false;
        String bootstrap = ConnectionDefaults.bootstrapServers(env);
        String registry = ConnectionDefaults.registryUrl(env);
        ClientSettings clientSettings = null;
        String topic = Topics.LESION_IMAGES;
        Path images = null;
        Integer synthetic = null;
        int clinics = 3;
        double rate = 0;
        int limit = Integer.MAX_VALUE;
        Path labelsOut = null;
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
                case "--topic" -> topic = reader.text(option);
                case "--images" -> images = reader.path(option);
                case "--synthetic" -> synthetic = reader.positiveInt(option);
                case "--clinics" -> clinics = reader.positiveInt(option);
                case "--rate" -> rate = reader.nonNegativeDouble(option);
                case "--limit" -> limit = reader.positiveInt(option);
                case "--labels-out" -> labelsOut = reader.path(option);
                default -> throw new UsageException("unknown option " + option);
            }
        }
        if (images != null && synthetic != null) {
            throw new UsageException("--images and --synthetic exclude each other");
        }
        if (images == null && synthetic == null) {
            Path shared = projectRoot == null ? null : Path.of(projectRoot).resolve(DEFAULT_IMAGES).normalize();
            if (shared != null && Files.isDirectory(shared)) {
                images = shared;
            } else {
                synthetic = DEFAULT_SYNTHETIC;
            }
        }
        return new SimulatorOptions(help, bootstrap, registry, topic, images, synthetic == null ? 0 : synthetic,
                clinics, rate, limit, labelsOut,
                clientSettings != null ? clientSettings : ConnectionDefaults.clientSettings(env));
    }

    public boolean isSynthetic() {
        return images == null;
    }
}
