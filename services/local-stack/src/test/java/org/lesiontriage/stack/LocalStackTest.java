package org.lesiontriage.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("integration")
class LocalStackTest {

    @Test
    void startsBrokerAndRegistryRoundTripsAndRefusesASecondStackOnTheSameFolder(@TempDir Path data) throws Exception {
        StackOptions options = StackOptions.parse(new String[] {
            "--kafka-port", "0", "--registry-port", "0", "--registry-mgmt-port", "0", "--data-dir", data.toString()});
        try (LocalStack stack = LocalStack.start(options, StackLock.tryAcquire(data))) {
            StackSmokeCheck.roundTrip(stack.bootstrapServers(), stack.registryUrl());

            assertThat(StackLock.tryAcquire(data)).as("second lock on a running stack's folder").isNull();
            assertThat(Files.readString(options.addressFile()))
                    .contains("KAFKA_BOOTSTRAP_SERVERS=" + stack.bootstrapServers())
                    .contains("SCHEMA_REGISTRY_URL=" + stack.registryUrl());
        }
        assertThat(options.addressFile()).doesNotExist();
        try (StackLock again = StackLock.tryAcquire(data)) {
            assertThat(again).as("lock after a clean stop").isNotNull();
        }
    }
}
