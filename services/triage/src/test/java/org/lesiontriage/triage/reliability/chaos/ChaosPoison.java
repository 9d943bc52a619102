package org.lesiontriage.triage.reliability.chaos;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.lesiontriage.testfixtures.SyntheticLesions;
import org.lesiontriage.contracts.LesionImageEvent;
import org.lesiontriage.contracts.ReasonCode;
import org.lesiontriage.contracts.Topics;
import org.lesiontriage.registry.RegistrySerdeConfig;
import org.lesiontriage.registry.SchemaRegistries;
import org.lesiontriage.registry.SchemaRegistry;
import org.lesiontriage.registry.testing.HostileAvroBodies;
import org.lesiontriage.triage.testing.LesionEvents;
import org.lesiontriage.triage.testing.TopologyHarness;

/**
 * The poison of a chaos run, in turn: a truncated JPEG ({@code IMAGE_UNDECODABLE}), a PNG whose last chunk CRC is
 * wrong ({@code IMAGE_CORRUPT}), and each of {@link HostileAvroBodies} (Avro bodies that lie about their sizes,
 * framed with their writer's id in the run's registry). Each comes with the reason its dead letter must give.
 */
final class ChaosPoison {

    /** One poison record's value, its event id where a reader can know it, and the reason it must be refused for. */
    record Record(byte[] value, String eventId, ReasonCode expected, String kind) {
    }

    private final List<byte[]> truncatedJpegs = new ArrayList<>();
    private final List<byte[]> badCrcPngs = new ArrayList<>();
    private final List<HostileAvroBodies.Body> bodies = HostileAvroBodies.all();
    private final int[] bodyIds;
    private final Map<String, Object> serdeConfig;
    private int next;

    ChaosPoison(int imagePx, long seed, Map<String, Object> serdeConfig) {
        this.serdeConfig = serdeConfig;
        for (int i = 0; i < 4; i++) {
            byte[] jpeg = SyntheticLesions.jpeg(imagePx, imagePx, seed + 1000 + i);
            truncatedJpegs.add(Arrays.copyOf(jpeg, jpeg.length / 3));
            byte[] png = SyntheticLesions.png(imagePx, imagePx, seed + 2000 + i);
            png[png.length - 1] ^= 0x5A; // the IEND chunk's CRC: the data is intact, its checksum is not
            badCrcPngs.add(png);
        }
        SchemaRegistry registry = SchemaRegistries.connect(RegistrySerdeConfig.from(serdeConfig));
        bodyIds = bodies.stream().mapToInt(b -> registry.register(Topics.LESION_IMAGES + "-value", b.writer())).toArray();
    }

    /** The next poison record; the kinds take turns so that each is a third of the poison. */
    Record next() {
        int n = next++;
        return switch (n % 3) {
            case 0 -> event(truncatedJpegs.get(n / 3 % truncatedJpegs.size()), "image/jpeg",
                    ReasonCode.IMAGE_UNDECODABLE, "truncated JPEG");
            case 1 -> event(badCrcPngs.get(n / 3 % badCrcPngs.size()), "image/png", ReasonCode.IMAGE_CORRUPT,
                    "PNG with a wrong chunk CRC");
            default -> {
                int b = n / 3 % bodies.size();
                HostileAvroBodies.Body body = bodies.get(b);
                // The body's event id is a constant of the corpus: the run tells these records apart by position.
                yield new Record(body.framed(bodyIds[b]), null, body.expected(), "Avro body: " + body.name());
            }
        };
    }

    private Record event(byte[] image, String mediaType, ReasonCode expected, String kind) {
        LesionImageEvent event = LesionEvents.builder(image, mediaType).build();
        return new Record(TopologyHarness.serialize(event, serdeConfig), event.getEventId().toString(), expected, kind);
    }
}
