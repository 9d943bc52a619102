package org.lesiontriage.stack.tls;

import java.security.SecureRandom;
import java.util.Base64;

/** Passwords made fresh for each start, so that no secret of the local stack or the tests lives in the repository. */
final class RandomSecrets {

    private static final SecureRandom RANDOM = new SecureRandom();

    private RandomSecrets() {
    }

    /** 24 random bytes, URL-safe Base64: no quotes or spaces to escape in a JAAS line or a properties file. */
    static String password() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
