package org.lesiontriage.clinictools.simulator;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Pseudonymous case references. A real clinic uses its own lesion or case number; the simulator derives a
 * stable one from the clinic and the file name, so the same image always maps to the same case (and partition)
 * while neither the file name nor any path leaves the machine.
 */
public final class CaseRefs {

    private CaseRefs() {
    }

    /** {@code case-} followed by the first 12 hex digits of sha256(clinic + "/" + file name). */
    public static String pseudonym(String clinicId, String fileName) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((clinicId + "/" + fileName).getBytes(StandardCharsets.UTF_8));
            return "case-" + HexFormat.of().formatHex(digest).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
