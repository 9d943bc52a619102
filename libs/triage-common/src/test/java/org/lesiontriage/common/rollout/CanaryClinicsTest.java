package org.lesiontriage.common.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.lesiontriage.contracts.CanaryScope;

/** Which clinics a canary serves: named ones, and a hash fraction any reader in any language reproduces. */
@Tag("unit")
class CanaryClinicsTest {

    @Test
    void theHashPositionIsTheContractsSha256Rule() {
        // Python: struct.unpack('>Q', hashlib.sha256(b'clinic-1').digest()[:8])[0] / 2**64
        assertThat(CanaryClinics.position("clinic-1")).isCloseTo(0.3003730134508734, within(1e-12));
        assertThat(CanaryClinics.position("clinic-2")).isCloseTo(0.791558081374295, within(1e-12));
        assertThat(CanaryClinics.position("clinic-south")).isCloseTo(0.16408659770928824, within(1e-12));
    }

    @Test
    void namedClinicsAreServedWhateverTheirHash() {
        CanaryScope scope = new CanaryScope(List.of("clinic-2"), 0.0);
        assertThat(CanaryClinics.includes(scope, "clinic-2")).isTrue();
        assertThat(CanaryClinics.includes(scope, "clinic-1")).isFalse();
        assertThat(CanaryClinics.includes(scope, null)).isFalse();
        assertThat(CanaryClinics.includes(null, "clinic-2")).isFalse();
    }

    @Test
    void aLargerFractionKeepsEveryClinicASmallerOneTook() {
        CanaryScope small = new CanaryScope(List.of(), 0.25);
        CanaryScope large = new CanaryScope(List.of(), 0.5);
        assertThat(CanaryClinics.includes(small, "clinic-3")).as("0.238").isTrue();
        assertThat(CanaryClinics.includes(small, "clinic-1")).as("0.300").isFalse();
        assertThat(CanaryClinics.includes(large, "clinic-1")).isTrue();
        assertThat(CanaryClinics.includes(large, "clinic-3")).isTrue();
        assertThat(CanaryClinics.includes(large, "clinic-2")).as("0.792").isFalse();
    }

    @Test
    void theScopeIsDescribedInWords() {
        assertThat(CanaryClinics.describe(new CanaryScope(List.of("north", "east"), 0.1)))
                .isEqualTo("clinics north, east and 10 % of clinics by hash");
        assertThat(CanaryClinics.describe(new CanaryScope(List.of(), 0.25))).isEqualTo("25 % of clinics by hash");
    }
}
