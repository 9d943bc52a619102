package org.lesiontriage.triage.topology;

import ai.onnxruntime.OrtException;
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
import org.lesiontriage.triage.imaging.ImagePreprocessor;
import org.lesiontriage.triage.imaging.ImageRejectedException;
import org.lesiontriage.registry.RegistrySerdeException;

/**
 * Reads image events, dead-letters what cannot be triaged, and scores the rest in micro-batches.
 *
 * <p>Each image waiting for its batch is also kept, as its raw record, in a changelogged store keyed by offset.
 * Under exactly-once the store's changes commit together with the input offsets, so after a crash the restored
 * store holds exactly the records that were read but not yet answered, and they are batched again.
 */
final class TriageProcessor implements Processor<byte[], byte[], byte[], Object> {

    private final TriageComponents components;
    private final MicroBatcher<PendingImage> batcher;
    private final FloatBuffer batchBuffer;
    private ProcessorContext<byte[], Object> context;
    private KeyValueStore<Long, SourceRecord> pending;
    /** This task's failed attempts; created with the first record, when the input partition is known. */
    private RecordAttempts attempts;
    /** Restored images waiting to be processed one at a time (after a restart that made no progress). */
    private final ArrayDeque<SourceRecord> deferred = new ArrayDeque<>();

    /** An image ready for the model, with the event it came in. */
    private record PendingImage(SourceRecord source, LesionImageEvent event, float[] tensor) {
    }

    TriageProcessor(TriageComponents components) {
        this.components = components;
        this.batcher = new MicroBatcher<>(components.batchPolicy());
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
        if (batcher.add(image, source.receivedAtMs(), source.receivedAtMs() - source.timestamp())) {
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

    private PendingImage prepare(SourceRecord source) throws RejectedInputException {
        LesionImageEvent event = components.eventReader().read(source.topic(), source.value());
        try {
            ImagePreprocessor preprocessor = components.preprocessor();
            byte[] imageBytes = new byte[event.getImage().remaining()];
            event.getImage().duplicate().get(imageBytes);
            return new PendingImage(source, event, preprocessor.preprocess(imageBytes, event.getMediaType()));
        } catch (ImageRejectedException e) {
            throw new RejectedInputException(e.reason(), e.getMessage(), String.valueOf(event.getEventId()));
        }
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
        List<PendingImage> batch = batcher.drain();
        int tensorLength = components.preprocessor().tensorLength();
        batchBuffer.clear();
        for (PendingImage image : batch) {
            batchBuffer.put(image.tensor(), 0, tensorLength);
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
