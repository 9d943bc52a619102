package org.lesiontriage.triage.topology;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.lesiontriage.contracts.LesionImageEvent;
import org.lesiontriage.contracts.ModelRef;
import org.lesiontriage.contracts.ReasonCode;
import org.lesiontriage.contracts.TriageResult;
import org.lesiontriage.triage.batching.MicroBatcher;
import org.lesiontriage.triage.failures.FailureHandler;
import org.lesiontriage.triage.failures.RejectedInputException;
import org.lesiontriage.triage.imaging.ImageRejectedException;
import org.lesiontriage.triage.imaging.PreprocessingPool;
import org.lesiontriage.triage.lifecycle.ModelKey;
import org.lesiontriage.triage.lifecycle.ModelNotReadyException;
import org.lesiontriage.triage.lifecycle.RolloutMarker;
import org.lesiontriage.triage.lifecycle.ScoringModel;

/**
 * Reads image events, prepares their images, batches them, scores each batch and forwards the results. What a
 * failure means for a record (a dead letter, a retry, a counted attempt) is decided by the task's
 * {@link FailureHandler}, through which each step runs.
 *
 * <p>Each image waiting for its batch is also kept, as its raw record, in a changelogged store keyed by offset.
 * Under exactly-once the store's changes commit together with the input offsets, so after a crash the restored
 * store holds exactly the records that were read but not yet answered, and they are batched again.
 *
 * <p>Which model version scores a record is asked of {@link org.lesiontriage.triage.lifecycle.ScoringModels} by
 * partition, offset and clinic (a canary serves some clinics with another version); the versions are awaited before
 * the record's failures are counted (a version not ready yet is no fault of the record). A micro-batch may hold
 * images of a canary's clinics beside the others: each version scores its own images in a model run of its own. A
 * model-switch marker first sends the batch out.
 *
 * <p>Images are decoded by the {@link PreprocessingPool} while this thread reads on and runs the model; a full
 * batch waits until the next one has been handed to the pool (so that it decodes while the model runs), and the
 * tensors are collected, in order, only when their batch runs. Kafka is touched from this thread only.
 */
final class TriageProcessor implements Processor<byte[], byte[], byte[], Object> {

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(TriageProcessor.class);

    private static final ByteBuffer NO_IMAGE = ByteBuffer.allocate(0);

    private final TriageComponents components;
    private final MicroBatcher<PendingImage> batcher;
    /**
     * With a decoding pool and a backlog, a full batch waits until the next one has been handed to the pool, so that
     * one decodes while the other runs; the backlog means that costs no latency. Caught up, a full batch runs at once.
     */
    private final boolean lookAhead;
    /** One reusable input buffer and one result maker per model version this task has scored with. */
    private final Map<ModelKey, FloatBuffer> batchBuffers = new HashMap<>();
    private final Map<ModelKey, TriageResultFactory> resultFactories = new HashMap<>();
    private ProcessorContext<byte[], Object> context;
    private KeyValueStore<Long, SourceRecord> pending;
    /** Decides what each failure means for this task's records (see {@link #failures(SourceRecord)}). */
    private FailureHandler<SourceRecord> failures;
    /** Restored images waiting to be processed one at a time (after a restart that made no progress). */
    private final ArrayDeque<SourceRecord> deferred = new ArrayDeque<>();

    /**
     * An image on its way to the model: its record without the value (the store holds the bytes), the event without
     * the image, and the tensor being decoded.
     */
    private record PendingImage(SourceRecord source, ScoringModel model, LesionImageEvent event,
                                PreprocessingPool.PendingTensor tensor, ScoringModel shadow,
                                PreprocessingPool.PendingTensor shadowTensor) {

        /** The decoded tensor, or the decoder's refusal as this event's rejection. */
        float[] decodedTensor() throws RejectedInputException {
            try {
                return tensor.get();
            } catch (ImageRejectedException e) {
                throw new RejectedInputException(e.reason(), e.getMessage(), String.valueOf(event.getEventId()));
            }
        }
    }

    TriageProcessor(TriageComponents components) {
        this.components = components;
        this.batcher = new MicroBatcher<>(components.batchPolicy());
        this.lookAhead = components.preprocessing().decodesAside();
    }

    @Override
    public void init(ProcessorContext<byte[], Object> context) {
        this.context = context;
        this.pending = context.getStateStore(TriageTopologyFactory.PENDING_STORE);
        try {
            components.models().catchUp(); // a partition switched elsewhere is never scored with the old version here
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ModelNotReadyException("interrupted while reading the rollout history");
        }
        requeueRestoredImages();
        Duration tick = TriageTopologyFactory.punctuationInterval(components.batchPolicy());
        context.schedule(tick, PunctuationType.WALL_CLOCK_TIME, this::flushIfDue);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        components.metrics().eventIn();
        RecordMetadata where = context.recordMetadata().orElseThrow();
        SourceRecord source = new SourceRecord(where.topic(), where.partition(), where.offset(), record.timestamp(),
                context.currentSystemTimeMs(), record.key(), record.value());
        failures(source).arrived(source);
        processDeferred();
        if (RolloutMarker.isControl(record.headers())) {
            passControlRecord(source, record.headers());
        } else if (failures.careful()) {
            processAlone(source);
        } else {
            processInBatch(source);
        }
    }

    /**
     * A model-switch marker: everything before it goes out with the version it was read for, and nothing after it is
     * scored before the rollout it names is known. A control record that names no known rollout switches nothing and
     * becomes a dead letter.
     */
    private void passControlRecord(SourceRecord source, Headers headers) {
        flush();
        String rolloutId = RolloutMarker.rolloutId(headers, source.value()).orElse(null);
        boolean known;
        try {
            known = rolloutId != null && components.models().knowsRollout(rolloutId);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ModelNotReadyException("interrupted while waiting for rollout " + rolloutId);
        }
        if (!known) {
            forgetAndDeadLetter(source, new RejectedInputException(ReasonCode.UNKNOWN_CONTROL_RECORD,
                    "Control record names no rollout of the history (" + (rolloutId == null ? "no rollout id"
                            : "rollout " + rolloutId) + "); it switches nothing", null));
        }
    }

    private void processInBatch(SourceRecord source) {
        awaitModels(source);
        failures.attempt(source, () -> prepare(source)).ifPresent(image -> {
            pending.put(source.offset(), source);
            enqueue(image, source.receivedAtMs(), source.receivedAtMs() - source.timestamp());
            if (batcher.isFull() && !(lookAhead && batcher.isBehind() && batcher.size() < 2 * batcher.policy().maxSize())) {
                flush();
            }
        });
    }

    /**
     * After a restart that made no progress: the record is scored in a batch of its own and committed on its own,
     * so the one that keeps failing is found ({@link FailureHandler#alone}).
     */
    private void processAlone(SourceRecord source) {
        flush(); // whatever waits goes first, in its own model run
        awaitModels(source);
        failures.alone(source, () -> {
            PendingImage image = prepare(source);
            pending.put(source.offset(), source);
            enqueue(image, source.receivedAtMs(), source.receivedAtMs() - source.timestamp());
            flush();
            return image;
        });
        context.commit();
    }

    /**
     * Waits while a version that may score the record (the live one, a canary's) is being prepared here: outside the
     * record's failure accounting, a wait is never counted against it.
     */
    private void awaitModels(SourceRecord source) {
        modelFor(source, null);
    }

    /** The version that scores the record of the clinic (null: the live one at the offset). */
    private ScoringModel modelFor(SourceRecord source, String clinicId) {
        try {
            return clinicId == null ? components.models().modelFor(source.partition(), source.offset())
                    : components.models().modelFor(source.partition(), source.offset(), clinicId);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ModelNotReadyException("interrupted while waiting for the model of offset " + source.offset());
        }
    }

    /**
     * Reads the event (its rejections are immediate), picks the version for its clinic and hands its image to the
     * pool, sized for that version.
     */
    private PendingImage prepare(SourceRecord source) throws RejectedInputException {
        LesionImageEvent event = components.eventReader().read(source.topic(), source.value());
        ScoringModel model = modelFor(source, String.valueOf(event.getClinicId()));
        var tensor = components.preprocessing().submit(model.preprocessor(), imageBytes(event.getImage()),
                event.getMediaType());
        ScoringModel shadow = shadowFor(source, model);
        // A shadow of another input size needs its own tensor; of the same size it scores the live one.
        var shadowTensor = shadow == null || shadow.descriptor().tensorLength() == model.descriptor().tensorLength()
                ? null : components.preprocessing().submit(shadow.preprocessor(), imageBytes(event.getImage()),
                        event.getMediaType());
        event.setImage(NO_IMAGE); // the pool has the bytes; the waiting event need not keep them
        return new PendingImage(source.withoutValue(), model, event, tensor, shadow, shadowTensor);
    }

    /**
     * The shadow version of the record if one is named and loaded here; one named but not loaded is counted. A
     * shadow of the version that scores the record (a canary clinic's) has nothing to add.
     */
    private ScoringModel shadowFor(SourceRecord source, ScoringModel model) {
        ScoringModel shadow = components.models().shadowFor(source.partition(), source.offset());
        if (shadow != null && shadow.key().equals(model.key())) {
            return null;
        }
        if (shadow == null && components.models().hasShadow(source.partition(), source.offset())) {
            components.metrics().shadowSkipped("not_ready", 1);
        }
        return shadow;
    }

    private void enqueue(PendingImage image, long receivedAtMs, long waitedMs) {
        batcher.add(image, receivedAtMs, waitedMs);
    }

    /** The image's bytes: the decoder's own array when the buffer spans it (Avro's does), else a copy. */
    private static byte[] imageBytes(ByteBuffer image) {
        if (image.hasArray() && image.arrayOffset() == 0 && image.position() == 0
                && image.remaining() == image.array().length) {
            return image.array();
        }
        byte[] copy = new byte[image.remaining()];
        image.duplicate().get(copy);
        return copy;
    }

    /**
     * Images read but not answered before a restart. Normally they rejoin the batcher at once (one that no longer
     * passes the checks, because limits changed, becomes a dead letter); when the restart made no progress they wait
     * to be processed one at a time, before any new record.
     */
    private void requeueRestoredImages() {
        List<SourceRecord> restored = new ArrayList<>();
        try (KeyValueIterator<Long, SourceRecord> entries = pending.all()) {
            entries.forEachRemaining(entry -> restored.add(entry.value));
        }
        if (restored.isEmpty()) {
            return;
        }
        restored.sort(Comparator.comparingLong(SourceRecord::offset));
        failures(restored.get(0)).arrived(restored.get(0));
        if (failures.careful()) {
            deferred.addAll(restored);
            return;
        }
        for (SourceRecord source : restored) {
            awaitModels(source);
            failures.attempt(source, () -> prepare(source))
                    .ifPresent(image -> enqueue(image, context.currentSystemTimeMs(), 0));
        }
    }

    private void processDeferred() {
        while (!deferred.isEmpty()) {
            processAlone(deferred.peek());
            deferred.poll();
        }
    }

    /** This task's failure handler; created with the first record, when the input partition is known. */
    private FailureHandler<SourceRecord> failures(SourceRecord source) {
        if (failures == null) {
            failures = new FailureHandler<>(components.attemptLedger(), components.poisonPolicy(), source.topic(),
                    source.partition(), SourceRecord::offset, new FailureHandler.Outlet<>() {
                        @Override
                        public void deadLetter(SourceRecord record, RejectedInputException why) {
                            forgetAndDeadLetter(record, why);
                        }

                        @Override
                        public void modelFailed(boolean modelAnswersAProbe) {
                            components.metrics().modelFailure(modelAnswersAProbe);
                        }
                    });
        }
        return failures;
    }

    private void flushIfDue(long nowMs) {
        processDeferred();
        while (batcher.isFull() || batcher.isDue(nowMs)) {
            flush();
        }
    }

    private void flush() {
        if (batcher.isEmpty()) {
            return;
        }
        for (List<PendingImage> run : modelRuns(batcher.drain())) {
            score(run);
        }
        if (components.batchPolicy().commitEachBatch()) {
            context.commit(); // results visible now, not at the next commit interval
        }
    }

    /**
     * The drained images by version (and shadow), each group in offset order: one model run per version. Without a
     * canary every image has the live version and this is the batch itself.
     */
    private static List<List<PendingImage>> modelRuns(List<PendingImage> drained) {
        Map<List<ModelKey>, List<PendingImage>> runs = new java.util.LinkedHashMap<>();
        for (PendingImage image : drained) {
            List<ModelKey> versions = java.util.Arrays.asList(image.model().key(),
                    image.shadow() == null ? null : image.shadow().key());
            runs.computeIfAbsent(versions, k -> new ArrayList<>()).add(image);
        }
        return List.copyOf(runs.values());
    }

    /** One model run: the images' tensors into the version's buffer, the scores out as results, the shadow's too. */
    private void score(List<PendingImage> run) {
        ScoringModel model = run.get(0).model();
        ScoringModel shadow = run.get(0).shadow();
        FloatBuffer batchBuffer = batchBuffers.computeIfAbsent(model.key(),
                key -> model.classifier().newBatchBuffer(components.batchPolicy().maxSize()));
        List<PendingImage> batch = tensorsOf(run, batchBuffer);
        if (batch.isEmpty()) {
            return;
        }
        long startedAtMs = context.currentSystemTimeMs();
        long started = System.nanoTime();
        float[][] probabilities = failures.score(() -> batch.stream().map(PendingImage::source).toList(),
                () -> model.classifier().classify(batchBuffer, batch.size()),
                model.classifier()::answersAProbe);
        long inferenceNanos = System.nanoTime() - started;
        long scoredAtMs = context.currentSystemTimeMs();
        components.metrics().batch(batch.size(), inferenceNanos);
        var timing = new TriageResultFactory.BatchTiming(startedAtMs, scoredAtMs, inferenceNanos / 1e6, batch.size());
        for (int i = 0; i < batch.size(); i++) {
            PendingImage image = batch.get(i);
            TriageResult result = resultsOf(model).create(image.event(), image.source().receivedAtMs(),
                    probabilities[i], timing);
            context.forward(new Record<byte[], Object>(image.source().key(), result, image.source().timestamp()),
                    TriageTopologyFactory.RESULTS_SINK);
            pending.delete(image.source().offset());
            components.metrics().result(result.getPriority(), result.getQueueTimeMs(),
                    scoredAtMs - image.source().timestamp());
        }
        if (shadow != null) {
            scoreInShadow(batch, shadow, batchBuffer, startedAtMs);
        }
    }

    /**
     * Collects the drained images' tensors, in order, into the batch buffer; images the decoder rejected become
     * dead letters. Returns the images that go to the model.
     */
    /**
     * The shadow version scores the batch the live one just scored, in the same transaction; its results go to the
     * shadow topic only. Skipped (and counted) when the batch's oldest record waited past the bound, so a backlog
     * gives the live path the CPU; a shadow that fails costs the live results nothing.
     */
    private void scoreInShadow(List<PendingImage> batch, ScoringModel shadow, FloatBuffer liveTensors, long startedAtMs) {
        long oldest = batch.stream().mapToLong(image -> image.source().timestamp()).min().orElse(startedAtMs);
        if (startedAtMs - oldest > components.shadowMaxLag().toMillis()) {
            components.metrics().shadowSkipped("lag", batch.size());
            return;
        }
        try {
            FloatBuffer tensors = liveTensors;
            if (batch.get(0).shadowTensor() != null) {
                tensors = batchBuffers.computeIfAbsent(shadow.key(),
                        key -> shadow.classifier().newBatchBuffer(components.batchPolicy().maxSize()));
                tensors.clear();
                for (PendingImage image : batch) {
                    tensors.put(image.shadowTensor().get());
                }
            }
            long started = System.nanoTime();
            float[][] probabilities = shadow.classifier().classify(tensors, batch.size());
            long inferenceNanos = System.nanoTime() - started;
            long scoredAtMs = context.currentSystemTimeMs();
            var timing = new TriageResultFactory.BatchTiming(startedAtMs, scoredAtMs, inferenceNanos / 1e6, batch.size());
            for (int i = 0; i < batch.size(); i++) {
                PendingImage image = batch.get(i);
                TriageResult result = resultsOf(shadow).create(image.event(), image.source().receivedAtMs(),
                        probabilities[i], timing);
                context.forward(new Record<byte[], Object>(image.source().key(), result, image.source().timestamp()),
                        TriageTopologyFactory.SHADOW_SINK);
            }
            components.metrics().shadowResults(shadow.key().version(), batch.size());
        } catch (Exception e) {
            components.metrics().shadowSkipped("failed", batch.size());
            LOG.warnf("Shadow model %s failed on a batch of %d: %s", shadow.key(), batch.size(), e.getMessage());
        }
    }

    private TriageResultFactory resultsOf(ScoringModel model) {
        return resultFactories.computeIfAbsent(model.key(), key -> new TriageResultFactory(model.descriptor()));
    }

    private List<PendingImage> tensorsOf(List<PendingImage> drained, FloatBuffer batchBuffer) {
        List<PendingImage> batch = new ArrayList<>(drained.size());
        batchBuffer.clear();
        for (PendingImage image : drained) {
            failures.attempt(image.source(), image::decodedTensor).ifPresent(tensor -> {
                batchBuffer.put(tensor);
                batch.add(image);
            });
        }
        return batch;
    }

    /** The version live at the record's offset, named in its dead letter (the current one if it cannot be had). */
    private ModelRef modelRefAt(SourceRecord source) {
        try {
            return TriageResultFactory.modelRef(components.models().modelFor(source.partition(), source.offset())
                    .descriptor());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ModelNotReadyException e) {
            // a dead letter is never held back for a model
        }
        return TriageResultFactory.modelRef(components.models().current().descriptor());
    }

    /**
     * A record that will not be answered: it leaves the store of waiting images (the stored copy has the original
     * bytes for the dead letter; an image waiting in a batch keeps none) and goes to the dead-letter topic.
     */
    private void forgetAndDeadLetter(SourceRecord source, RejectedInputException why) {
        SourceRecord stored = pending.get(source.offset());
        if (stored != null) {
            pending.delete(source.offset());
        }
        SourceRecord original = stored != null ? stored : source;
        var letter = components.deadLetters().create(original, why, context.currentSystemTimeMs(),
                modelRefAt(original));
        context.forward(new Record<byte[], Object>(original.key(), letter, original.timestamp()),
                TriageTopologyFactory.DEAD_LETTER_SINK);
        components.metrics().deadLetter(why.reason().name());
    }
}
