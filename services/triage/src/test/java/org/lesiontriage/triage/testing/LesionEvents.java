package org.lesiontriage.triage.testing;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.UUID;
import org.lesiontriage.testfixtures.SyntheticLesions;
import org.lesiontriage.contracts.LesionImageEvent;
import org.lesiontriage.contracts.Modality;

/** Image events as a clinic would publish them. */
public final class LesionEvents {

    private LesionEvents() {
    }

    public static LesionImageEvent.Builder builder(byte[] image, String mediaType) {
        return LesionImageEvent.newBuilder()
                .setEventId(UUID.randomUUID())
                .setClinicId("clinic-test")
                .setCaseRef("case-" + UUID.randomUUID().toString().substring(0, 8))
                .setCapturedAt(Instant.now())
                .setMediaType(mediaType)
                .setImage(ByteBuffer.wrap(image))
                .setModality(Modality.DERMOSCOPIC);
    }

    public static LesionImageEvent jpeg(long seed) {
        return builder(SyntheticLesions.jpeg(256, 256, seed), "image/jpeg").build();
    }
}
