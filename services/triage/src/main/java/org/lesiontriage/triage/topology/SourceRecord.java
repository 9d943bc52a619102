package org.lesiontriage.triage.topology;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * An input record exactly as read, with where it came from and when the service read it. Images waiting for
 * their batch are kept in this form in a changelogged store, so a crash loses none of them.
 */
public record SourceRecord(String topic, int partition, long offset, long timestamp, long receivedAtMs,
                           byte[] key, byte[] value) {

    /** Binary serde for the pending-images store. */
    public static Serde<SourceRecord> serde() {
        return Serdes.serdeFrom(SourceRecord::write, SourceRecord::read);
    }

    private static byte[] write(String ignoredTopic, SourceRecord record) {
        if (record == null) {
            return null;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + length(record.value) + length(record.key));
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeUTF(record.topic);
            out.writeInt(record.partition);
            out.writeLong(record.offset);
            out.writeLong(record.timestamp);
            out.writeLong(record.receivedAtMs);
            writeBytes(out, record.key);
            writeBytes(out, record.value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
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

    private static void writeBytes(DataOutputStream out, byte[] bytes) throws IOException {
        out.writeInt(bytes == null ? -1 : bytes.length);
        if (bytes != null) {
            out.write(bytes);
        }
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        int length = in.readInt();
        return length < 0 ? null : in.readNBytes(length);
    }
}
