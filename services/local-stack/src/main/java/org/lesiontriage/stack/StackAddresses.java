package org.lesiontriage.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The addresses file a running stack leaves in its data folder, in shell-sourceable form. */
final class StackAddresses {

    private StackAddresses() {
    }

    static String format(long pid, String bootstrapServers, String registryUrl) {
        return "STACK_PID=" + pid + "\n"
                + "KAFKA_BOOTSTRAP_SERVERS=" + bootstrapServers + "\n"
                + "SCHEMA_REGISTRY_URL=" + registryUrl + "\n";
    }

    static String describe(Path addressFile) {
        try {
            return Files.readString(addressFile).lines().map(line -> "  " + line + "\n").reduce("", String::concat);
        } catch (IOException e) {
            return "  (still starting, or its addresses file " + addressFile + " is unreadable)\n";
        }
    }
}
