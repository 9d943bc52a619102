package org.lesiontriage.triage.lifecycle;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.jboss.logging.Logger;
import org.lesiontriage.common.rollout.CanaryClinics;
import org.lesiontriage.contracts.CanaryScope;
import org.lesiontriage.contracts.GateDecision;
import org.lesiontriage.contracts.ModelRelease;
import org.lesiontriage.contracts.ModelRollout;
import org.lesiontriage.contracts.ModelState;
import org.lesiontriage.contracts.ModelStatus;
import org.lesiontriage.contracts.PartitionOffset;
import org.lesiontriage.contracts.RolloutKind;
import org.lesiontriage.contracts.Topics;
import org.lesiontriage.registry.SpecificAvroSerializer;

/**
 * Activates a published version: refuses unless the promotion gate passes it (or is overridden, on the record) and
 * every live instance reported it READY, then writes, in one
 * transaction, a marker into every input partition and the rollout record naming each marker's offset + 1. Either
 * all of it becomes visible to the service (read_committed) or none. All activations use one transactional id, so a
 * second activator fences the first and rollouts are ordered the same on the rollout topic and in every partition.
 */
public final class ModelActivation {

    private static final Logger LOG = Logger.getLogger(ModelActivation.class);
    public static final String TRANSACTIONAL_ID = "triage-models-admin";
    private static final Duration POLL = Duration.ofMillis(200);

    private final LifecycleView view;
    private final Admin admin;
    private final String applicationId;
    private final Map<String, Object> kafkaClient;
    private final Map<String, ?> serdeConfig;

    public ModelActivation(LifecycleView view, Admin admin, String applicationId, Map<String, Object> kafkaClient,
                           Map<String, ?> serdeConfig) {
        this.view = view;
        this.admin = admin;
        this.applicationId = applicationId;
        this.kafkaClient = kafkaClient;
        this.serdeConfig = serdeConfig;
    }

    /**
     * What an activation for every clinic is judged on, and whether a refusal is overridden: a forced activation
     * needs a reason, and the gate's findings are recorded with it.
     */
    public record Promotion(PromotionGate gate, PromotionGate.Evidence evidence, boolean force) {
    }

    /**
     * Activates {@code key} for every clinic (ending any canary) once the promotion gate passes it.
     *
     * @param waitForReady how long to wait for instances still PREPARING (an instance that retired the version, or
     *                     never heard of it, is asked to prepare it by publishing its release again)
     */
    public ModelRollout activate(ModelKey key, Promotion promotion, String reason, String requestedBy,
                                 Duration waitForReady) throws ActivationRefusedException, InterruptedException {
        return roll(key, RolloutKind.ACTIVATE, null, promotion, reason, requestedBy, waitForReady);
    }

    /**
     * Canary: from the markers on, {@code key} scores the clinics of {@code scope} (live results with its version);
     * the others keep the live version. A later canary replaces it; {@link #activate} promotes it to every clinic and
     * {@link #rollback} ends it.
     */
    public ModelRollout canary(ModelKey key, CanaryScope scope, String reason, String requestedBy, Duration waitForReady)
            throws ActivationRefusedException, InterruptedException {
        if (scope == null || (scope.getClinics().isEmpty() && !(scope.getClinicFraction() > 0))) {
            throw new ActivationRefusedException("a canary names clinics or a fraction of them");
        }
        if (scope.getClinicFraction() < 0 || scope.getClinicFraction() > 1) {
            throw new ActivationRefusedException("clinic fraction " + scope.getClinicFraction() + ": must be in [0, 1]");
        }
        return roll(key, RolloutKind.CANARY, scope, null, reason, requestedBy, waitForReady);
    }

    private ModelRollout roll(ModelKey key, RolloutKind kind, CanaryScope scope, Promotion promotion, String reason,
                              String requestedBy, Duration waitForReady)
            throws ActivationRefusedException, InterruptedException {
        try {
            view.catchUp(Duration.ofSeconds(30));
            RolloutHistory history = view.history();
            ModelRelease release = view.catalog().release(key).orElseThrow(() ->
                    new ActivationRefusedException(key + " is not published (bin/models publish its folder first)"));
            boolean endsCanary = kind == RolloutKind.ROLLBACK && history.currentCanary() != null;
            if (history.current().equals(key) && !endsCanary) {
                throw new ActivationRefusedException(key + " is already the live version");
            }
            if (kind == RolloutKind.SHADOW && key.equals(history.currentShadow())) {
                throw new ActivationRefusedException(key + " is already the shadow version");
            }
            GateDecision gate = promotion == null ? null : passGate(key, promotion, history, reason);
            Set<String> instances = awaitReady(release, waitForReady);
            ModelRollout rollout = write(release, kind, history.current(), instances, reason, requestedBy, scope, gate);
            LOG.infof("Rollout %s: %s %s from offsets %s%s", rollout.getRolloutId(), kind, key, rollout.getOffsets(),
                    scope == null ? "" : " for " + CanaryClinics.describe(scope));
            return rollout;
        } catch (ActivationRefusedException | InterruptedException e) {
            throw e;
        } catch (Exception e) {
            throw new ActivationRefusedException(kind.name().toLowerCase(java.util.Locale.ROOT) + " of " + key
                    + " failed before anything was written: " + e);
        }
    }

    /** The gate's decision, to be recorded; refuses when it failed and was not overridden with a reason. */
    private static GateDecision passGate(ModelKey key, Promotion promotion, RolloutHistory history, String reason)
            throws ActivationRefusedException {
        GateDecision decision = promotion.gate().judge(history.current(), key, promotion.evidence(), history);
        if (decision.getPassed()) {
            return decision;
        }
        if (!promotion.force()) {
            throw new ActivationRefusedException("promotion gate for " + key + " on " + decision.getEvidence() + ": "
                    + decision.getFindings()
                    + " (a forced activation with a reason overrides it, and is recorded)");
        }
        if (reason == null || reason.isBlank()) {
            throw new ActivationRefusedException("forcing past the promotion gate needs a reason (recorded with it)");
        }
        decision.setForced(true);
        LOG.warnf("Promotion gate overridden for %s: %s", key, decision.getFindings());
        return decision;
    }

    /**
     * Shadow: from the markers on, {@code key} also scores every live batch, its results going to the shadow topic
     * only. Refused like an activation (every live instance READY), and for the live version itself.
     */
    public ModelRollout shadow(ModelKey key, String reason, String requestedBy, Duration waitForReady)
            throws ActivationRefusedException, InterruptedException {
        return roll(key, RolloutKind.SHADOW, null, null, reason, requestedBy, waitForReady);
    }

    /** Ends the current shadow, recorded as a SHADOW_OFF rollout at offsets of its own. */
    public ModelRollout shadowOff(String reason, String requestedBy) throws ActivationRefusedException, InterruptedException {
        try {
            view.catchUp(Duration.ofSeconds(30));
            ModelKey shadow = view.history().currentShadow();
            if (shadow == null) {
                throw new ActivationRefusedException("no shadow version to stop");
            }
            ModelRelease release = view.catalog().release(shadow).orElseThrow(() ->
                    new ActivationRefusedException(shadow + " is not published"));
            return write(release, RolloutKind.SHADOW_OFF, view.history().current(), LiveInstances.of(admin, applicationId),
                    reason, requestedBy, null, null);
        } catch (ActivationRefusedException | InterruptedException e) {
            throw e;
        } catch (Exception e) {
            throw new ActivationRefusedException("stopping the shadow failed before anything was written: " + e);
        }
    }

    /**
     * Rollback, recorded as a ROLLBACK: while a canary is in effect, every clinic back to the live version (the
     * canary ends); otherwise an activation of the version live before the latest activation. Never gated: it
     * returns to a version that was live.
     */
    public ModelRollout rollback(String reason, String requestedBy, Duration waitForReady)
            throws ActivationRefusedException, InterruptedException {
        try {
            view.catchUp(Duration.ofSeconds(30));
        } catch (Exception e) {
            throw new ActivationRefusedException("the lifecycle topics cannot be read: " + e);
        }
        if (view.history().currentCanary() != null) {
            return roll(view.history().current(), RolloutKind.ROLLBACK, null, null, reason, requestedBy, waitForReady);
        }
        ModelRollout latest = view.history().latest().orElseThrow(() ->
                new ActivationRefusedException("nothing to roll back: no rollout has been made"));
        if (latest.getPreviousVersion() == null) {
            throw new ActivationRefusedException("the latest rollout names no previous version");
        }
        return roll(ModelKey.parse(latest.getPreviousVersion()), RolloutKind.ROLLBACK, null, null, reason, requestedBy,
                waitForReady);
    }

    private Set<String> awaitReady(ModelRelease release, Duration wait) throws Exception {
        ModelKey key = ModelKey.of(release);
        long deadline = System.nanoTime() + wait.toNanos();
        boolean askedAgain = false;
        while (true) {
            Set<String> instances = LiveInstances.of(admin, applicationId);
            List<String> notReady = new ArrayList<>();
            boolean someoneLacksIt = false;
            for (String instance : instances) {
                ModelStatus status = view.statuses().status(instance, key).orElse(null);
                if (status == null || status.getState() != ModelState.READY
                        || !release.getSha256().equals(status.getSha256())) {
                    notReady.add(instance + ": " + describe(status));
                    someoneLacksIt |= status == null || status.getState() == ModelState.RETIRED;
                }
            }
            if (notReady.isEmpty()) {
                return instances;
            }
            if (someoneLacksIt && !askedAgain && !wait.isZero() && !wait.isNegative()) {
                new ReleasePublisher(kafkaClient, serdeConfig).publishAgain(release);
                askedAgain = true;
            }
            if (System.nanoTime() > deadline || notReady.stream().anyMatch(line -> line.contains(ModelState.FAILED.name()))) {
                throw new ActivationRefusedException("not every live instance has " + key + " READY: "
                        + String.join("; ", notReady));
            }
            Thread.sleep(POLL.toMillis());
            view.catchUp(Duration.ofSeconds(30));
        }
    }

    private static String describe(ModelStatus status) {
        if (status == null) {
            return "no report";
        }
        return status.getState() + (status.getReason() == null ? "" : " (" + status.getReason() + ")");
    }

    private ModelRollout write(ModelRelease release, RolloutKind kind, ModelKey previous, Set<String> instances,
                               String reason, String requestedBy, CanaryScope scope, GateDecision gate) throws Exception {
        String inputTopic = view.history().inputTopic();
        String rolloutId = "rollout-" + Instant.now().toEpochMilli() + "-"
                + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(4);
        Map<String, Object> config = new HashMap<>(kafkaClient);
        config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, TRANSACTIONAL_ID);
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        var values = new SpecificAvroSerializer<ModelRollout>();
        values.configure(serdeConfig, false);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            try {
                List<PartitionOffset> offsets = new ArrayList<>();
                for (PartitionInfo partition : producer.partitionsFor(inputTopic)) {
                    RecordMetadata marker = producer.send(
                            RolloutMarker.record(inputTopic, partition.partition(), rolloutId)).get();
                    offsets.add(new PartitionOffset(partition.partition(), marker.offset() + 1));
                }
                offsets.sort((a, b) -> Integer.compare(a.getPartition(), b.getPartition()));
                ModelRollout rollout = ModelRollout.newBuilder()
                        .setRolloutId(rolloutId).setName(release.getName()).setVersion(release.getVersion())
                        .setSha256(release.getSha256()).setKind(kind)
                        .setPreviousVersion(previous.toString()).setInputTopic(inputTopic).setOffsets(offsets)
                        .setReadyInstances(List.copyOf(instances)).setRequestedBy(requestedBy)
                        .setRequestedAt(Instant.now()).setReason(reason).setCanary(scope).setGate(gate).build();
                producer.send(new ProducerRecord<>(Topics.ROLLOUTS, rolloutId.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                        values.serialize(Topics.ROLLOUTS, rollout))).get();
                producer.commitTransaction();
                return rollout;
            } catch (Exception e) {
                producer.abortTransaction();
                throw e;
            }
        }
    }
}
