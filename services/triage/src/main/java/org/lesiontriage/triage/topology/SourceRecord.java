package org.lesiontriage.triage.topology;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * An input record exactly as read, with where it came from and when the service read it. Images waiting for
 * their batch are kept in this form in a changelogged store, so a crash loses none of them.
 */
public record SourceRecord(String topic, int partition, long offset, long timestamp, long receivedAtMs,
                           byte[] key, byte[] value) {

    /**
     * The same record without its value: what an image waiting for its batch keeps in memory, its bytes being in
     * the store already (and read back from there if it must be dead-lettered).
     */
    SourceRecord withoutValue() {
        return new SourceRecord(topic, partition, offset, timestamp, receivedAtMs, key, null);
    }

    /** Binary serde for the pending-images store. */
    public static Serde<SourceRecord> serde() {
        return Serdes.serdeFrom(SourceRecord::write, SourceRecord::read);
    }

    private static byte[] write(String ignoredTopic, SourceRecord record) {
        if (record == null) {
            return null;
        }
        // The same layout as DataOutputStream's (writeUTF, then big-endian numbers), written into an array of the
        // exact size: an image is copied once here, not twice through a growing stream. Kafka topic names are ASCII
        // (letters, digits, '.', '_', '-'), whose modified UTF-8 (readUTF's) is their UTF-8.
        byte[] topicUtf = record.topic.getBytes(StandardCharsets.UTF_8);
        ByteBuffer out = ByteBuffer.allocate(2 + topicUtf.length + 4 + 3 * 8 + 4 + length(record.key) + 4
                + length(record.value));
        out.putShort((short) topicUtf.length).put(topicUtf);
        out.putInt(record.partition).putLong(record.offset).putLong(record.timestamp).putLong(record.receivedAtMs);
        putBytes(out, record.key);
        putBytes(out, record.value);
        return out.array();
    }

    private static SourceRecord read(String ignoredTopic, byte[] data) {
        if (data == null) {
            return null;
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            return new SourceRecord(in.readUTF(), in.readInt(), in.readLong(), in.readLong(), in.readLong(),
                    readBytes(in), readBytes(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int length(byte[] bytes) {
        return bytes == null ? 0 : bytes.length;
    }

    private static void putBytes(ByteBuffer out, byte[] bytes) {
        out.putInt(bytes == null ? -1 : bytes.length);
        if (bytes != null) {
            out.put(bytes);
        }
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        int length = in.readInt();
        return length < 0 ? null : in.readNBytes(length);
    }
}
