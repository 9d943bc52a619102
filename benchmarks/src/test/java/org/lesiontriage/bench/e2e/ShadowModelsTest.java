package org.lesiontriage.bench.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.lesiontriage.triage.inference.ModelDescriptor;
import org.lesiontriage.triage.lifecycle.ModelKey;

@Tag("unit")
class ShadowModelsTest {

    private static ModelDescriptor model(String version) {
        return new ModelDescriptor("triagenet", version, "sha", "arch", List.of("benign", "melanoma"), 0.5, 128, 128,
                "input", "output", Map.of());
    }

    @Test
    void theLiveModelLoadedASecondTimeShadowsUnderAnotherVersion() {
        // the processor takes a shadow of the live version for no shadow at all
        assertThat(ShadowModels.keyOf(model("2.0.0"), model("2.0.0")))
                .isEqualTo(new ModelKey("triagenet", "2.0.0-shadow"));
    }

    @Test
    void anotherModelShadowsUnderItsOwnVersion() {
        assertThat(ShadowModels.keyOf(model("2.0.0"), model("2.0.0-int8")))
                .isEqualTo(new ModelKey("triagenet", "2.0.0-int8"));
    }
}
