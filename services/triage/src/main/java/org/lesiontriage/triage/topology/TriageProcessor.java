package org.lesiontriage.triage.topology;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.lesiontriage.contracts.LesionImageEvent;
import org.lesiontriage.contracts.TriageResult;
import org.lesiontriage.triage.batching.MicroBatcher;
import org.lesiontriage.triage.failures.FailureHandler;
import org.lesiontriage.triage.failures.RejectedInputException;
import org.lesiontriage.triage.imaging.ImageRejectedException;
import org.lesiontriage.triage.imaging.PreprocessingPool;

/**
 * Reads image events, prepares their images, batches them, scores each batch and forwards the results. What a
 * failure means for a record (a dead letter, a retry, a counted attempt) is decided by the task's
 * {@link FailureHandler}, through which each step runs.
 *
 * <p>Each image waiting for its batch is also kept, as its raw record, in a changelogged store keyed by offset.
 * Under exactly-once the store's changes commit together with the input offsets, so after a crash the restored
 * store holds exactly the records that were read but not yet answered, and they are batched again.
 *
 * <p>Images are decoded by the {@link PreprocessingPool} while this thread reads on and runs the model; a full
 * batch waits until the next one has been handed to the pool (so that it decodes while the model runs), and the
 * tensors are collected, in order, only when their batch runs. Kafka is touched from this thread only.
 */
final class TriageProcessor implements Processor<byte[], byte[], byte[], Object> {

    private static final ByteBuffer NO_IMAGE = ByteBuffer.allocate(0);

    private final TriageComponents components;
    private final MicroBatcher<PendingImage> batcher;
    /**
     * With a decoding pool and a backlog, a full batch waits until the next one has been handed to the pool, so that
     * one decodes while the other runs; the backlog means that costs no latency. Caught up, a full batch runs at once.
     */
    private final boolean lookAhead;
    private final FloatBuffer batchBuffer;
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
    private record PendingImage(SourceRecord source, LesionImageEvent event, PreprocessingPool.PendingTensor tensor) {

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
        this.batchBuffer = components.classifier().newBatchBuffer(components.batchPolicy().maxSize());
    }

    @Override
    public void init(ProcessorContext<byte[], Object> context) {
        this.context = context;
        this.pending = context.getStateStore(TriageTopologyFactory.PENDING_STORE);
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
        if (failures.careful()) {
            processAlone(source);
        } else {
            processInBatch(source);
        }
    }

    private void processInBatch(SourceRecord source) {
        failures.attempt(source, () -> prepare(source)).ifPresent(image -> {
            pending.put(source.offset(), source);
            batcher.add(image, source.receivedAtMs(), source.receivedAtMs() - source.timestamp());
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
        failures.alone(source, () -> {
            PendingImage image = prepare(source);
            pending.put(source.offset(), source);
            batcher.add(image, source.receivedAtMs(), source.receivedAtMs() - source.timestamp());
            flush();
            return image;
        });
        context.commit();
    }

    /** Reads the event (its rejections are immediate) and hands its image to the pool. */
    private PendingImage prepare(SourceRecord source) throws RejectedInputException {
        LesionImageEvent event = components.eventReader().read(source.topic(), source.value());
        var tensor = components.preprocessing().submit(imageBytes(event.getImage()), event.getMediaType());
        event.setImage(NO_IMAGE); // the pool has the bytes; the waiting event need not keep them
        return new PendingImage(source.withoutValue(), event, tensor);
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
            failures.attempt(source, () -> prepare(source))
                    .ifPresent(image -> batcher.add(image, context.currentSystemTimeMs()));
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
        List<PendingImage> batch = tensorsOf(batcher.drain());
        if (batch.isEmpty()) {
            return;
        }
        long startedAtMs = context.currentSystemTimeMs();
        long started = System.nanoTime();
        float[][] probabilities = failures.score(() -> batch.stream().map(PendingImage::source).toList(),
                () -> components.classifier().classify(batchBuffer, batch.size()),
                components.classifier()::answersAProbe);
        long inferenceNanos = System.nanoTime() - started;
        long scoredAtMs = context.currentSystemTimeMs();
        components.metrics().batch(batch.size(), inferenceNanos);
        var timing = new TriageResultFactory.BatchTiming(startedAtMs, scoredAtMs, inferenceNanos / 1e6, batch.size());
        for (int i = 0; i < batch.size(); i++) {
            PendingImage image = batch.get(i);
            TriageResult result = components.results().create(image.event(), image.source().receivedAtMs(),
                    probabilities[i], timing);
            context.forward(new Record<byte[], Object>(image.source().key(), result, image.source().timestamp()),
                    TriageTopologyFactory.RESULTS_SINK);
            pending.delete(image.source().offset());
            components.metrics().result(result.getPriority(), result.getQueueTimeMs(),
                    scoredAtMs - image.source().timestamp());
        }
        if (components.batchPolicy().commitEachBatch()) {
            context.commit(); // results visible now, not at the next commit interval
        }
    }

    /**
     * Collects the drained images' tensors, in order, into the batch buffer; images the decoder rejected become
     * dead letters. Returns the images that go to the model.
     */
    private List<PendingImage> tensorsOf(List<PendingImage> drained) {
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
        var letter = components.deadLetters().create(original, why, context.currentSystemTimeMs());
        context.forward(new Record<byte[], Object>(original.key(), letter, original.timestamp()),
                TriageTopologyFactory.DEAD_LETTER_SINK);
        components.metrics().deadLetter(why.reason().name());
    }
}
