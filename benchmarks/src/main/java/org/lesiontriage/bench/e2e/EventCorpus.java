package org.lesiontriage.bench.e2e;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.lesiontriage.testfixtures.SyntheticLesions;
import org.lesiontriage.contracts.LesionImageEvent;
import org.lesiontriage.contracts.Modality;
import org.lesiontriage.registry.SpecificAvroSerializer;
import org.lesiontriage.contracts.Topics;

/**
 * Image events serialized once up front (Avro, registry framing), so that publishing costs the load generator
 * nothing but the send. ISIC test images when the folder exists, else synthetic 256x256 JPEGs.
 */
final class EventCorpus {

    record Event(byte[] key, byte[] value, String mediaType, byte[] image) {
    }

    private final List<Event> events;
    private final String source;

    private EventCorpus(List<Event> events, String source) {
        this.events = events;
        this.source = source;
    }

    static EventCorpus load(Path isicTestDir, int limit, Map<String, ?> serdeConfig) throws IOException {
        List<byte[]> images = new ArrayList<>();
        String source;
        if (isicTestDir != null && Files.isDirectory(isicTestDir)) {
            try (Stream<Path> files = Files.walk(isicTestDir)) {
                for (Path file : files.filter(p -> p.toString().toLowerCase().endsWith(".jpg")).sorted().limit(limit)
                        .toList()) {
                    images.add(Files.readAllBytes(file));
                }
            }
            source = "ISIC 2017 test images (" + images.size() + " JPEGs)";
        } else {
            for (int i = 0; i < Math.min(limit, 200); i++) {
                images.add(SyntheticLesions.jpeg(256, 256, i));
            }
            source = "synthetic 256x256 JPEGs (" + images.size() + ")";
        }
        if (images.isEmpty()) {
            throw new IllegalStateException("No images found in " + isicTestDir);
        }
        SpecificAvroSerializer<LesionImageEvent> serializer = new SpecificAvroSerializer<>();
        serializer.configure(serdeConfig, false);
        List<Event> events = new ArrayList<>();
        for (byte[] image : images) {
            String caseRef = "case-" + UUID.randomUUID().toString().substring(0, 8);
            LesionImageEvent event = LesionImageEvent.newBuilder().setEventId(UUID.randomUUID())
                    .setClinicId("clinic-bench").setCaseRef(caseRef).setCapturedAt(Instant.now())
                    .setMediaType("image/jpeg").setImage(ByteBuffer.wrap(image)).setModality(Modality.DERMOSCOPIC)
                    .build();
            events.add(new Event(caseRef.getBytes(), serializer.serialize(Topics.LESION_IMAGES, event), "image/jpeg",
                    image));
        }
        return new EventCorpus(events, source);
    }

    Event get(long i) {
        return events.get((int) (i % events.size()));
    }

    int size() {
        return events.size();
    }

    String source() {
        return source;
    }

    double meanValueBytes() {
        return events.stream().mapToInt(e -> e.value().length).average().orElse(0);
    }
}
