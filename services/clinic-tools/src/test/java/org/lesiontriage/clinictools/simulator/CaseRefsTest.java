package org.lesiontriage.clinictools.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class CaseRefsTest {

    @Test
    void stablePseudonymPerClinicAndFileThatRevealsNeither() {
        String ref = CaseRefs.pseudonym("clinic-1", "ISIC_0012258.jpg");
        assertThat(ref).matches("case-[0-9a-f]{12}");
        assertThat(ref).isEqualTo(CaseRefs.pseudonym("clinic-1", "ISIC_0012258.jpg"));
        assertThat(ref).isNotEqualTo(CaseRefs.pseudonym("clinic-2", "ISIC_0012258.jpg"));
        assertThat(ref).doesNotContain("ISIC", "0012258", "clinic");
        // sha256("clinic-1/ISIC_0012258.jpg"), first 12 hex digits
        assertThat(CaseRefs.pseudonym("a", "b")).isEqualTo("case-" + sha256Hex("a/b").substring(0, 12));
    }

    private static String sha256Hex(String text) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
