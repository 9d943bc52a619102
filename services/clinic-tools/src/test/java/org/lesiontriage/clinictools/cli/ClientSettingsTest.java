package org.lesiontriage.clinictools.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("unit")
class ClientSettingsTest {

    @Test
    void splitsKafkaFromRegistrySettingsAndLetsTheFileWin(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("client.properties");
        Files.writeString(file, """
                security.protocol=SASL_SSL
                sasl.mechanism=SCRAM-SHA-512
                ssl.truststore.location=/etc/triage/ca.p12
                schema.registry.ssl.truststore.location=/etc/triage/ca.p12
                basic.auth.user.info=clinic:pw
                acks=1
                """);
        ClientSettings settings = ClientSettings.read(file);
        assertThat(settings.kafka()).containsOnlyKeys("security.protocol", "sasl.mechanism",
                "ssl.truststore.location", "acks");
        Properties producer = new Properties();
        producer.put("acks", "all");
        assertThat(settings.applyTo(producer)).containsEntry("acks", "1").containsEntry("security.protocol", "SASL_SSL");
        assertThat(settings.serdeConfig("https://registry:8443")).containsOnlyKeys("schema.registry.url",
                "schema.registry.ssl.truststore.location", "basic.auth.user.info");
        assertThat(settings.toString()).doesNotContain("clinic:pw");
    }

    @Test
    void comesFromTheEnvironmentUnlessGivenAndNamesTheOptionWhenUnreadable(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("client.properties");
        Files.writeString(file, "security.protocol=SSL\n");
        assertThat(new ConnectionOptions().clientSettings(Map.of("KAFKA_CONFIG_FILE", file.toString())).kafka())
                .containsEntry("security.protocol", "SSL");
        assertThat(new ConnectionOptions().clientSettings(Map.of())).isEqualTo(ClientSettings.none());
        assertThatThrownBy(() -> ClientSettings.read(dir.resolve("missing.properties")))
                .isInstanceOf(UsageException.class).hasMessageContaining("--kafka-config");
    }
}
