package org.lesiontriage.triage.topology;

import ai.onnxruntime.OrtException;
import java.nio.FloatBuffer;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
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
import org.lesiontriage.triage.imaging.ImagePreprocessor;
import org.lesiontriage.triage.imaging.ImageRejectedException;

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
        PendingImage image;
        try {
            image = prepare(source);
        } catch (RejectedInputException rejected) {
            deadLetter(source, rejected);
            return;
        }
        pending.put(source.offset(), source);
        if (batcher.add(image, source.receivedAtMs(), source.receivedAtMs() - source.timestamp())) {
            flush();
        }
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

    private void requeueRestoredImages() {
        try (KeyValueIterator<Long, SourceRecord> restored = pending.all()) {
            while (restored.hasNext()) {
                KeyValue<Long, SourceRecord> entry = restored.next();
                try {
                    batcher.add(prepare(entry.value), context.currentSystemTimeMs());
                } catch (RejectedInputException nowRejected) {
                    // It passed these checks before the restart; if it no longer does (limits changed), say so.
                    deadLetter(entry.value, nowRejected);
                    pending.delete(entry.key);
                }
            }
        }
    }

    private void flushIfDue(long nowMs) {
        while (batcher.isFull() || batcher.isDue(nowMs)) {
            flush();
        }
    }

    private void flush() {
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
        } catch (OrtException e) {
            // Not the input's fault: fail the task, so the batch is retried from the store after restart.
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

    private void deadLetter(SourceRecord source, RejectedInputException why) {
        var letter = components.deadLetters().create(source, why, context.currentSystemTimeMs());
        context.forward(new Record<byte[], Object>(source.key(), letter, source.timestamp()),
                TriageTopologyFactory.DEAD_LETTER_SINK);
        components.metrics().deadLetter(why.reason().name());
    }
}
