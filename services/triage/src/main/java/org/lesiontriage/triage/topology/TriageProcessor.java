package org.lesiontriage.triage.topology;

import ai.onnxruntime.OrtException;
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
import org.lesiontriage.contracts.ReasonCode;
import org.lesiontriage.contracts.TriageResult;
import org.lesiontriage.triage.batching.MicroBatcher;
import org.lesiontriage.triage.imaging.ImageRejectedException;
import org.lesiontriage.triage.imaging.PreprocessingPool;
import org.lesiontriage.registry.RegistrySerdeException;

/**
 * Reads image events, dead-letters what cannot be triaged, and scores the rest in micro-batches.
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
    /** This task's failed attempts; created with the first record, when the input partition is known. */
    private RecordAttempts attempts;
    /** Restored images waiting to be processed one at a time (after a restart that made no progress). */
    private final ArrayDeque<SourceRecord> deferred = new ArrayDeque<>();

    /**
     * An image on its way to the model: its record without the value (the store holds the bytes), the event without
     * the image, and the tensor being decoded.
     */
    private record PendingImage(SourceRecord source, LesionImageEvent event, PreprocessingPool.PendingTensor tensor) {
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
        RecordAttempts tries = attempts(source);
        if (!tries.started()) {
            tries.start(source.offset());
        }
        processDeferred();
        if (tries.careful()) {
            processAlone(source);
        } else {
            processInBatch(source);
        }
    }

    private void processInBatch(SourceRecord source) {
        PendingImage image;
        try {
            image = prepare(source);
        } catch (RejectedInputException rejected) {
            deadLetter(source, rejected);
            return;
        } catch (RegistrySerdeException transientFailure) {
            throw transientFailure; // the registry is down: not the record's fault
        } catch (RuntimeException | Error failure) {
            attempts(source).failed(source.offset());
            throw failure;
        }
        pending.put(source.offset(), source);
        batcher.add(image, source.receivedAtMs(), source.receivedAtMs() - source.timestamp());
        if (batcher.isFull() && !(lookAhead && batcher.isBehind() && batcher.size() < 2 * batcher.policy().maxSize())) {
            flush();
        }
    }

    /**
     * After a restart that made no progress: the record is counted before it is touched, scored in a batch of its
     * own and committed on its own, so the one that keeps failing is found and, at the limit, set aside.
     */
    private void processAlone(SourceRecord source) {
        RecordAttempts tries = attempts(source);
        if (tries.exhausted(source.offset())) {
            pending.delete(source.offset());
            deadLetter(source, new RejectedInputException(ReasonCode.REPEATED_FAILURE, "Processing failed "
                    + tries.triesOf(source.offset()) + " times on this record (the stream thread or the process died "
                    + "with it); set aside so that partition " + source.partition() + " moves on", null));
            tries.passed(source.offset());
            context.commit();
            return;
        }
        flush(); // whatever waits goes first, in its own model run
        tries.before(source.offset());
        try {
            PendingImage image = prepare(source);
            pending.put(source.offset(), source);
            batcher.add(image, source.receivedAtMs(), source.receivedAtMs() - source.timestamp());
            flush();
        } catch (RejectedInputException rejected) {
            pending.delete(source.offset());
            deadLetter(source, rejected);
        } catch (RegistrySerdeException transientFailure) {
            tries.forgive(source.offset());
            throw transientFailure;
        }
        tries.succeeded(source.offset());
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
     * Images read but not answered before a restart. Normally they rejoin the batcher at once; when the restart
     * made no progress they wait to be processed one at a time, before any new record.
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
        RecordAttempts tries = attempts(restored.get(0));
        tries.start(restored.get(0).offset());
        if (tries.careful()) {
            deferred.addAll(restored);
            return;
        }
        for (SourceRecord source : restored) {
            try {
                batcher.add(prepare(source), context.currentSystemTimeMs());
            } catch (RejectedInputException nowRejected) {
                // It passed these checks before the restart; if it no longer does (limits changed), say so.
                deadLetter(source, nowRejected);
                pending.delete(source.offset());
            } catch (RegistrySerdeException transientFailure) {
                throw transientFailure;
            } catch (RuntimeException | Error failure) {
                tries.failed(source.offset());
                throw failure;
            }
        }
    }

    private void processDeferred() {
        while (!deferred.isEmpty()) {
            processAlone(deferred.peek());
            deferred.poll();
        }
    }

    private RecordAttempts attempts(SourceRecord source) {
        if (attempts == null) {
            attempts = new RecordAttempts(components.attemptLedger(), components.poisonPolicy(), source.topic(),
                    source.partition());
        }
        return attempts;
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
        float[][] probabilities;
        try {
            probabilities = components.classifier().classify(batchBuffer, batch.size());
        } catch (OrtException | RuntimeException | Error e) {
            blameBatchIfTheModelIsSound(batch);
            // Fail the task: the batch is retried from the store after the restart.
            throw new IllegalStateException("Model run failed for a batch of " + batch.size(), e);
        }
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
     * dead letters here. Returns the images that go to the model.
     */
    private List<PendingImage> tensorsOf(List<PendingImage> drained) {
        List<PendingImage> batch = new ArrayList<>(drained.size());
        batchBuffer.clear();
        for (PendingImage image : drained) {
            long offset = image.source().offset();
            try {
                batchBuffer.put(image.tensor().get());
                batch.add(image);
            } catch (ImageRejectedException e) {
                SourceRecord stored = pending.get(offset);
                pending.delete(offset);
                deadLetter(stored == null ? image.source() : stored,
                        new RejectedInputException(e.reason(), e.getMessage(), String.valueOf(image.event().getEventId())));
            } catch (RuntimeException | Error failure) {
                RecordAttempts tries = attempts(image.source());
                if (!tries.careful()) { // in careful mode it was counted before it was touched
                    tries.failed(offset);
                }
                throw failure;
            }
        }
        return batch;
    }

    /**
     * A model that still answers a blank image failed on this batch: count the failure against its records (in
     * careful mode the one record was counted already). A model that answers nothing is not the input's fault.
     */
    private void blameBatchIfTheModelIsSound(List<PendingImage> batch) {
        RecordAttempts tries = attempts(batch.get(0).source());
        boolean modelSound = components.classifier().answersAProbe();
        components.metrics().modelFailure(modelSound);
        if (tries.careful()) {
            if (!modelSound) {
                tries.forgive(batch.get(0).source().offset());
            }
        } else if (modelSound) {
            tries.failed(batch.stream().mapToLong(image -> image.source().offset()).toArray());
        }
    }

    private void deadLetter(SourceRecord source, RejectedInputException why) {
        var letter = components.deadLetters().create(source, why, context.currentSystemTimeMs());
        context.forward(new Record<byte[], Object>(source.key(), letter, source.timestamp()),
                TriageTopologyFactory.DEAD_LETTER_SINK);
        components.metrics().deadLetter(why.reason().name());
    }
}
