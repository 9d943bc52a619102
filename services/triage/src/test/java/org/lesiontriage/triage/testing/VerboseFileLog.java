package org.lesiontriage.triage.testing;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.nio.file.Path;
import java.util.Map;

/**
 * A test profile that writes everything the service says (DEBUG) and what Kafka says (INFO), more than production
 * logs, to a file, for tests that search the log for what must never be in it.
 */
public abstract class VerboseFileLog implements QuarkusTestProfile {

    /** Where the log of a test class goes: target/TEST-CLASS/service.log, relative to the module. */
    public static Path of(Class<?> testClass) {
        return Path.of("target", testClass.getSimpleName(), "service.log");
    }

    /** Where this profile's log goes: the file of the test class that declares it. */
    protected Path logFile() {
        return of(getClass().getEnclosingClass());
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "quarkus.log.file.enabled", "true",
                "quarkus.log.file.path", logFile().toAbsolutePath().toString(),
                "quarkus.log.file.level", "ALL",
                "quarkus.log.category.\"org.lesiontriage\".level", "DEBUG",
                "quarkus.log.category.\"org.apache.kafka\".level", "INFO",
                "quarkus.log.category.\"org.apache.kafka.streams\".level", "INFO");
    }
}
