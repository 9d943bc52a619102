package org.lesiontriage.triage.api;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Writes the two files an operator writes (users with hashed passwords, their roles) into a folder outside the jar
 * and points the service at them, as TRIAGE_USERS_FILE and TRIAGE_ROLES_FILE do (no rebuild: read at start, and
 * again when they change).
 */
public class ApiUsersResource implements QuarkusTestResourceLifecycleManager {

    /** Roles {@code rescore} and {@code models}. */
    static final String OPERATOR = "operator";
    static final String OPERATOR_PASSWORD = "battery-staple-42";
    /** Authenticated, but without role {@code rescore}. */
    static final String VIEWER = "viewer";
    static final String VIEWER_PASSWORD = "viewer-only-7";

    private Path folder;

    @Override
    public Map<String, String> start() {
        try {
            folder = Files.createTempDirectory("triage-api-users");
            // The digests as docs/operations.md makes them: printf '%s' 'USER:lesion-triage:PASSWORD' | md5sum
            Path users = Files.writeString(folder.resolve("users.properties"),
                    OPERATOR + "=40b256a14b805f2208d0d0cc4a4f73e4\n" + VIEWER + "=9808812249535e90b5190c9e25c1a859\n");
            Path roles = Files.writeString(folder.resolve("roles.properties"),
                    OPERATOR + "=" + RescoreResource.ROLE + "," + ModelLifecycleResource.ROLE + "\n" + VIEWER + "=clinician\n");
            return Map.of("triage-api.users-file", users.toString(), "triage-api.roles-file", roles.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
        if (folder == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(folder)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
