package org.lesiontriage.triage.lifecycle;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The record an activation writes into every input partition, in the same transaction as its rollout record. Its
 * offset is the switch point: the only position in a partition that the writer of a rollout and every reader agree
 * on without talking to each other. A processor that meets a marker has scored everything before it with the old
 * version and waits, if it must, until it knows the rollout before it scores anything after it.
 *
 * <p>Markers are not image events: they carry the header {@value #HEADER} and the rollout id as value, yield no
 * result and no dead letter. Other readers of the input skip records with this header.
 */
public final class RolloutMarker {

    public static final String HEADER = "lesion-triage-control";
    public static final String ROLLOUT = "model-rollout";

    private RolloutMarker() {
    }

    public static ProducerRecord<byte[], byte[]> record(String topic, int partition, String rolloutId) {
        Headers headers = new RecordHeaders().add(HEADER, ROLLOUT.getBytes(StandardCharsets.UTF_8));
        return new ProducerRecord<>(topic, partition, null, null, rolloutId.getBytes(StandardCharsets.UTF_8), headers);
    }

    /** The rollout id when the record is a marker; empty for image events. */
    public static Optional<String> rolloutId(Headers headers, byte[] value) {
        Header control = headers == null ? null : headers.lastHeader(HEADER);
        if (control == null || value == null) {
            return Optional.empty();
        }
        return ROLLOUT.equals(new String(control.value(), StandardCharsets.UTF_8))
                ? Optional.of(new String(value, StandardCharsets.UTF_8)) : Optional.empty();
    }

    public static boolean isControl(Headers headers) {
        return headers != null && headers.lastHeader(HEADER) != null;
    }
}
