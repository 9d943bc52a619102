package org.lesiontriage.triage.rescore;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.lesiontriage.registry.RegistrySerdeConfig;
import org.lesiontriage.triage.batching.BatchPolicy;
import org.lesiontriage.triage.imaging.ImageLimits;
import org.lesiontriage.triage.inference.InferenceDevice;
import org.lesiontriage.triage.inference.InferenceOptions;
import org.lesiontriage.contracts.Topics;

/** The re-score command's options (bin/rescore --help), turned into a request and settings. */
record RescoreOptions(ReplayRequest request, ReplaySettings settings) {

    /** The service's quarkus.kafka-streams.application-id: a replay never writes its internal topics. */
    static final String LIVE_APPLICATION_ID = "lesion-triage";

    static final String USAGE = """
            usage: bin/rescore --job ID --model DIR [options]
              --job ID               names the job; the same id resumes it after a crash or a cancel
              --model DIR            folder with the model.onnx to score with
              --from BOUND           first record: earliest (default), an ISO instant such as 2026-11-01T00:00:00Z,
                                     or partition:offset pairs such as 0:1200,1:1180
              --to BOUND             end of the range, exclusive: latest (default, the topic's end at the first start),
                                     an ISO instant or partition:offset pairs
              --source TOPIC         image topic to replay (default lesion-images)
              --output TOPIC         results topic (default triage-rescore-ID); created when missing
              --failures TOPIC       dead-letter topic (default OUTPUT-failures)
              --work-dir DIR         where jobs keep plan, state and report (default .rescore)
              --batch-size N         images per model run (default 32, as the service)
              --max-delay-ms MS      longest wait for a batch to fill (default 10, as the service)
              --threads N            ONNX Runtime intra-op threads (default 2)
              --device D             auto | cpu | cuda (default auto)
              --kafka-config FILE    Kafka client properties (security.protocol, sasl.*, ssl.*) and registry
                                     settings (schema.registry.*, basic.auth.*), for a secured cluster
            Kafka and the registry: KAFKA_BOOTSTRAP_SERVERS and SCHEMA_REGISTRY_URL, as for the service.""";

    static RescoreOptions parse(List<String> args, Map<String, String> env) throws IOException {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String name = args.get(i);
            if (!name.startsWith("--") || i + 1 >= args.size()) {
                throw new IllegalArgumentException("expected --option value, got '" + name + "'");
            }
            values.put(name.substring(2), args.get(++i));
        }
        Set<String> known = Set.of("job", "model", "from", "to", "source", "output", "failures", "work-dir",
                "batch-size", "max-delay-ms", "threads", "device", "kafka-config");
        values.keySet().stream().filter(key -> !known.contains(key)).findFirst().ifPresent(unknown -> {
            throw new IllegalArgumentException("unknown option --" + unknown);
        });
        if (!values.containsKey("job") || !values.containsKey("model")) {
            throw new IllegalArgumentException("--job and --model are required");
        }
        ReplayRequest request = new ReplayRequest(values.get("job"), values.getOrDefault("source", Topics.LESION_IMAGES),
                RangeBound.parse(values.getOrDefault("from", "earliest")), RangeBound.parse(values.getOrDefault("to", "latest")),
                Path.of(values.get("model")), values.get("output"), values.get("failures"));

        Map<String, Object> kafka = new HashMap<>();
        Map<String, Object> serde = new HashMap<>();
        kafka.put("bootstrap.servers", env.getOrDefault("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092"));
        serde.put("schema.registry.url", env.getOrDefault("SCHEMA_REGISTRY_URL", "http://127.0.0.1:8081/apis/ccompat/v7"));
        serde.put("auto.register.schemas", true);
        if (values.containsKey("kafka-config")) {
            splitClientConfig(load(Path.of(values.get("kafka-config"))), kafka, serde);
        }
        int batchSize = Integer.parseInt(values.getOrDefault("batch-size", "32"));
        InferenceDevice device = InferenceDevice.valueOf(values.getOrDefault("device", "auto").toUpperCase(Locale.ROOT));
        ReplaySettings settings = new ReplaySettings(kafka, serde, Path.of(values.getOrDefault("work-dir", ".rescore")),
                new InferenceOptions(device, Integer.parseInt(values.getOrDefault("threads", "2")), 0, batchSize),
                ImageLimits.defaults(),
                new BatchPolicy(batchSize, Duration.ofMillis(Long.parseLong(values.getOrDefault("max-delay-ms", "10")))),
                Set.of(Topics.LESION_IMAGES, Topics.TRIAGE_RESULTS, Topics.TRIAGE_FAILURES), LIVE_APPLICATION_ID);
        return new RescoreOptions(request, settings);
    }

    /** Registry keys go to the serdes, everything else to the Kafka clients. */
    static void splitClientConfig(Properties file, Map<String, Object> kafka, Map<String, Object> serde) {
        for (String key : file.stringPropertyNames()) {
            (RegistrySerdeConfig.isSerdeKey(key) ? serde : kafka).put(key, file.getProperty(key));
        }
    }

    private static Properties load(Path file) throws IOException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        }
        return properties;
    }
}
