package org.lesiontriage.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Reason codes are a contract: dashboards and replays match on their names. */
@Tag("unit")
class ReasonCodeTest {

    @Test
    void namesAreStable() {
        assertThat(Arrays.stream(ReasonCode.values()).map(ReasonCode::name)).containsExactly(
                "MISSING_VALUE", "NOT_WIRE_FORMAT", "UNKNOWN_SCHEMA_ID", "SCHEMA_MISMATCH", "DECLARED_SIZE_BEYOND_RECORD", "MISSING_FIELD",
                "SCHEMA_NOT_REGISTERED", "INCOMPATIBLE_SCHEMA", "INVALID_SCHEMA", "INVALID_RECORD", "REGISTRY_ERROR",
                "REGISTRY_UNAVAILABLE", "REGISTRY_UNAUTHORIZED", "REGISTRY_TLS",
                "IMAGE_EMPTY", "IMAGE_TOO_LARGE", "UNSUPPORTED_MEDIA_TYPE", "MEDIA_TYPE_MISMATCH",
                "IMAGE_TOO_MANY_PIXELS", "IMAGE_TOO_SMALL", "IMAGE_UNDECODABLE", "IMAGE_CORRUPT",
                "IMAGE_UNSUPPORTED_COLOR", "MODALITY_NOT_VALIDATED", "REPEATED_FAILURE", "UNKNOWN_CONTROL_RECORD");
    }

    @Test
    void onlyFailuresOutsideTheRecordAreTransient() {
        assertThat(Arrays.stream(ReasonCode.values()).filter(ReasonCode::isTransient))
                .containsExactly(ReasonCode.REGISTRY_UNAVAILABLE, ReasonCode.REGISTRY_UNAUTHORIZED, ReasonCode.REGISTRY_TLS);
    }
}
