package org.lesiontriage.triage.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Another version of the served model for replay tests: the same weights re-exported with new metadata (version,
 * threshold), as a re-calibration release would be. The ONNX file is a protobuf ModelProto; its metadata_props
 * (field 14, key/value string pairs) are rewritten and every other field is copied byte for byte.
 */
public final class ModelVariants {

    private static final int METADATA_PROPS = 14;

    private ModelVariants() {
    }

    /** Writes {@code target/model.onnx}: the source model with the given metadata entries replaced. */
    public static Path withMetadata(Path sourceDir, Path targetDir, Map<String, String> replaced) throws IOException {
        byte[] model = Files.readAllBytes(sourceDir.resolve("model.onnx"));
        ByteArrayOutputStream out = new ByteArrayOutputStream(model.length + 1024);
        int at = 0;
        while (at < model.length) {
            int fieldStart = at;
            long[] tag = varint(model, at);
            at = (int) tag[1];
            int field = (int) (tag[0] >>> 3);
            int wireType = (int) (tag[0] & 7);
            int valueStart = at;
            at = skip(model, at, wireType);
            if (field == METADATA_PROPS && replaced.containsKey(entryKey(model, valueStart))) {
                continue;
            }
            out.write(model, fieldStart, at - fieldStart);
        }
        for (Map.Entry<String, String> entry : replaced.entrySet()) {
            byte[] pair = concat(stringField(1, entry.getKey()), stringField(2, entry.getValue()));
            out.write(lengthDelimited(METADATA_PROPS, pair));
        }
        Files.createDirectories(targetDir);
        Path file = targetDir.resolve("model.onnx");
        Files.write(file, out.toByteArray());
        return targetDir;
    }

    /** The key of a StringStringEntryProto whose length prefix starts at {@code at}. */
    private static String entryKey(byte[] bytes, int at) {
        long[] length = varint(bytes, at);
        int end = (int) (length[1] + length[0]);
        int cursor = (int) length[1];
        while (cursor < end) {
            long[] tag = varint(bytes, cursor);
            cursor = (int) tag[1];
            if (tag[0] >>> 3 == 1 && (tag[0] & 7) == 2) {
                long[] keyLength = varint(bytes, cursor);
                return new String(bytes, (int) keyLength[1], (int) keyLength[0], StandardCharsets.UTF_8);
            }
            cursor = skip(bytes, cursor, (int) (tag[0] & 7));
        }
        return null;
    }

    private static int skip(byte[] bytes, int at, int wireType) {
        return switch (wireType) {
            case 0 -> (int) varint(bytes, at)[1];
            case 1 -> at + 8;
            case 2 -> {
                long[] length = varint(bytes, at);
                yield (int) (length[1] + length[0]);
            }
            case 5 -> at + 4;
            default -> throw new IllegalArgumentException("unsupported protobuf wire type " + wireType + " at " + at);
        };
    }

    /** @return {value, position after it} */
    private static long[] varint(byte[] bytes, int at) {
        long value = 0;
        int shift = 0;
        while (true) {
            byte b = bytes[at++];
            value |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return new long[] {value, at};
            }
            shift += 7;
        }
    }

    private static byte[] stringField(int field, String value) {
        return lengthDelimited(field, value.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] lengthDelimited(int field, byte[] payload) {
        return concat(encodeVarint((long) field << 3 | 2), encodeVarint(payload.length), payload);
    }

    private static byte[] encodeVarint(long value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while ((value & ~0x7FL) != 0) {
            out.write((int) ((value & 0x7F) | 0x80));
            value >>>= 7;
        }
        out.write((int) value);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
