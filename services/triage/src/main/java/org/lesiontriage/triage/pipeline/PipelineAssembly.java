package org.lesiontriage.triage.pipeline;

import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.lesiontriage.triage.batching.BatchPolicy;
import org.lesiontriage.triage.config.TriageConfig;
import org.lesiontriage.triage.config.TriageSettings;
import org.lesiontriage.triage.failures.AttemptLedger;
import org.lesiontriage.triage.failures.KafkaAttemptLedger;
import org.lesiontriage.triage.failures.PoisonPolicy;
import org.lesiontriage.triage.imaging.ImageLimits;
import org.lesiontriage.triage.inference.InferenceOptions;
import org.lesiontriage.triage.inference.LesionClassifier;
import org.lesiontriage.triage.lifecycle.ModelLifecycle;
import org.lesiontriage.triage.lifecycle.PromotionGate;
import org.lesiontriage.triage.lifecycle.ScoringModels;
import org.lesiontriage.triage.topology.OffsetWindow;
import org.lesiontriage.triage.topology.TriageComponents;
import org.lesiontriage.triage.topology.TriageTopics;
import org.lesiontriage.triage.topology.TriageTopologyFactory;

/**
 * The one way to put the triage pipeline together from its {@link TriageSettings}: the Quarkus service
 * (the CDI producers of the config package), re-score jobs, the benchmarks and the tests all build through it, so each runs with
 * the limits, batching, inference options, registry and Kafka Streams settings production runs with.
 */
public final class PipelineAssembly {

    private final TriageSettings settings;

    public PipelineAssembly(TriageSettings settings) {
        this.settings = settings;
    }

    public TriageSettings settings() {
        return settings;
    }

    public TriageConfig config() {
        return settings.triage();
    }

    /** The configured model ({@code triage.model.dir}), loaded with the configured device and threads. */
    public LesionClassifier loadModel() {
        return loadModel(Path.of(config().model().dir()));
    }

    public LesionClassifier loadModel(Path modelDir) {
        return LesionClassifier.load(modelDir, inference());
    }

    /**
     * The components around a loaded model: decoder, guards, preprocessing, batcher, result and dead-letter makers,
     * and the ledger of failed attempts that sets a record aside after {@code triage.poison.max-attempts}.
     */
    public TriageComponents components(LesionClassifier classifier, MeterRegistry meters, AttemptLedger attempts) {
        return components(TriageComponents.fixedModel(classifier, limits()), meters, attempts);
    }

    /** The components around the versions the lifecycle serves (see {@link #startLifecycle}). */
    public TriageComponents components(ScoringModels models, MeterRegistry meters, AttemptLedger attempts) {
        return TriageComponents.assemble(models, batching(), serdeConfig(), meters, attempts, poisonPolicy(),
                config().deadLetters().maxOriginalBytes(), config().preprocess().threads(),
                config().lifecycle().shadowMaxLag());
    }

    /**
     * This instance's name: its Kafka Streams {@code client.id} ({@code kafka-streams.client.id}, the pod name in a
     * cluster), under which it also reports model statuses, so that an activation can match group members to reports.
     */
    public String instanceId() {
        String clientId = settings.kafkaStreams().get(StreamsConfig.CLIENT_ID_CONFIG);
        if (clientId != null && !clientId.isBlank()) {
            return clientId;
        }
        return settings.applicationId() + "-" + ProcessHandle.current().pid();
    }

    /**
     * Starts this instance's part in the model lifecycle with {@code bootstrap} (the configured model) as the version
     * before any rollout: returns once the rollout history is read and the live version loaded.
     */
    public ModelLifecycle startLifecycle(LesionClassifier bootstrap) throws InterruptedException {
        TriageConfig.Lifecycle lifecycle = config().lifecycle();
        Path cache = lifecycle.cacheDir().map(Path::of).orElseGet(() ->
                Path.of(System.getProperty("java.io.tmpdir"), "lesion-triage-models", instanceId()));
        var models = new ModelLifecycle.Settings(instanceId(), settings.applicationId(), topics().images(), cache,
                inference(), limits(), lifecycle.memoryBudgetMb() << 20, lifecycle.maxWait(),
                lifecycle.startTimeout(), lifecycle.retirementInterval(), lifecycle.retirementGrace());
        ScoringModels fixed = TriageComponents.fixedModel(bootstrap, limits());
        return ModelLifecycle.start(models, fixed.current(), kafkaClientConfig(), serdeConfig());
    }

    /** The promotion gate with the configured limits, over the service's live and shadow results topics. */
    public PromotionGate promotionGate() {
        TriageConfig.Gate gate = config().lifecycle().gate();
        Properties client = new Properties();
        client.putAll(kafkaClientConfig());
        return new PromotionGate(client, serdeConfig(), topics().results(), topics().shadowResults(),
                new PromotionGate.Limits(gate.maxUrgentToRoutine(), gate.minCompared(), gate.minSensitivity(),
                        gate.minLabelled()));
    }

    /** The durable attempt ledger of the Kafka Streams application {@code applicationId}, on its own topic. */
    public AttemptLedger attemptLedger(String applicationId) {
        return new KafkaAttemptLedger(kafkaClientConfig(), KafkaAttemptLedger.topicFor(applicationId));
    }

    public PoisonPolicy poisonPolicy() {
        return new PoisonPolicy(config().poison().maxAttempts(), config().poison().carefulRecords());
    }

    public TriageTopics topics() {
        TriageConfig.TopicNames topics = config().topics();
        return new TriageTopics(topics.images(), topics.results(), topics.failures(), topics.shadowResults());
    }

    public Topology topology(TriageComponents components) {
        return TriageTopologyFactory.build(topics(), components, serdeConfig());
    }

    /** A topology over other topics (a re-score job's), optionally limited to an offset window. */
    public Topology topology(TriageTopics topics, TriageComponents components, OffsetWindow window) {
        return TriageTopologyFactory.build(topics, components, serdeConfig(), window);
    }

    /**
     * The Kafka Streams properties the service runs with ({@code kafka-streams.*}: exactly-once, commit interval,
     * poll, fetch and request sizes, security), for a topology run outside Quarkus under its own application id.
     */
    public Properties streamsProperties(String applicationId, Path stateDir) {
        Properties props = new Properties();
        props.putAll(settings.kafkaStreams());
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        if (!applicationId.equals(settings.applicationId())) {
            props.remove(StreamsConfig.CLIENT_ID_CONFIG); // the service's instance name is not a re-score job's
        }
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        return props;
    }

    /** Bootstrap servers and the security settings every Kafka client of the pipeline (admin included) needs. */
    public Map<String, Object> kafkaClientConfig() {
        Map<String, Object> kafka = new HashMap<>();
        kafka.put("bootstrap.servers", settings.bootstrapServers());
        settings.kafkaStreams().forEach((key, value) -> {
            if (key.startsWith("security.") || key.startsWith("sasl.") || key.startsWith("ssl.")) {
                kafka.put(key, value);
            }
        });
        return kafka;
    }

    /** The schema registry settings in the keys every Confluent-protocol serde understands. */
    public Map<String, Object> serdeConfig() {
        TriageConfig.SchemaRegistry registry = config().schemaRegistry();
        Map<String, Object> serde = new HashMap<>();
        serde.put("schema.registry.url", registry.url());
        serde.put("auto.register.schemas", registry.autoRegister());
        registry.basicAuthUserInfo().ifPresent(userInfo -> {
            serde.put("basic.auth.credentials.source", "USER_INFO");
            serde.put("basic.auth.user.info", userInfo);
        });
        registry.truststoreLocation().ifPresent(location -> serde.put("schema.registry.ssl.truststore.location", location));
        registry.truststorePassword().ifPresent(password -> serde.put("schema.registry.ssl.truststore.password", password));
        registry.truststoreType().ifPresent(type -> serde.put("schema.registry.ssl.truststore.type", type));
        registry.requestTimeout().ifPresent(timeout -> serde.put("schema.registry.request.timeout.ms", timeout.toMillis()));
        return serde;
    }

    /** Warm-up at the largest batch, so the first full batch does not pay for allocations. */
    public InferenceOptions inference() {
        TriageConfig.Model model = config().model();
        return new InferenceOptions(model.device(), model.intraOpThreads(), model.cudaDeviceId(), config().batch().maxSize());
    }

    public ImageLimits limits() {
        TriageConfig.Image image = config().image();
        return new ImageLimits(image.maxBytes(), image.maxPixels(), image.minSide());
    }

    public BatchPolicy batching() {
        return new BatchPolicy(config().batch().maxSize(), config().batch().maxDelay(), config().batch().commitEachBatch());
    }
}
