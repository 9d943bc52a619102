package org.lesiontriage.common.rollout;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.lesiontriage.contracts.CanaryScope;

/**
 * Which clinics a canary serves: those it names, and those whose stable hash falls below its fraction. The hash is
 * the contract's (first 8 bytes of SHA-256 of the UTF-8 clinic id, unsigned, over 2^64), so any reader in any
 * language puts a clinic on the same side, and a larger fraction keeps every clinic a smaller one took.
 */
public final class CanaryClinics {

    private CanaryClinics() {
    }

    public static boolean includes(CanaryScope scope, String clinicId) {
        if (scope == null || clinicId == null) {
            return false;
        }
        if (scope.getClinics().contains(clinicId)) {
            return true;
        }
        return scope.getClinicFraction() > 0 && position(clinicId) < scope.getClinicFraction();
    }

    /** The clinic's place in [0, 1): where the fraction cuts. */
    public static double position(String clinicId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(clinicId.getBytes(StandardCharsets.UTF_8));
            long high = ByteBuffer.wrap(digest, 0, 8).getLong();
            // unsigned 64-bit over 2^64, without losing the sign bit
            return ((high >>> 11) * 0x1.0p-53);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java platform", e);
        }
    }

    /** The scope in words, for logs and the status endpoint. */
    public static String describe(CanaryScope scope) {
        if (scope == null) {
            return "no clinic";
        }
        String named = scope.getClinics().isEmpty() ? "" : "clinics " + String.join(", ", scope.getClinics());
        String share = scope.getClinicFraction() > 0
                ? String.format(java.util.Locale.ROOT, "%.0f %% of clinics by hash", 100 * scope.getClinicFraction()) : "";
        return named.isEmpty() ? (share.isEmpty() ? "no clinic" : share) : share.isEmpty() ? named : named + " and " + share;
    }
}
