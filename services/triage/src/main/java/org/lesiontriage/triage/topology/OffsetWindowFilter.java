package org.lesiontriage.triage.topology;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Passes on only the records inside the window. Records outside are consumed and committed past without an answer:
 * they belong to the live service's output, not to a replay's.
 */
final class OffsetWindowFilter implements Processor<byte[], byte[], byte[], byte[]> {

    private final OffsetWindow window;
    private ProcessorContext<byte[], byte[]> context;

    OffsetWindowFilter(OffsetWindow window) {
        this.window = window;
    }

    @Override
    public void init(ProcessorContext<byte[], byte[]> context) {
        this.context = context;
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        RecordMetadata where = context.recordMetadata().orElseThrow();
        if (window.admits(where.partition(), where.offset())) {
            context.forward(record);
        }
    }
}
