package org.lesiontriage.registry;

import org.lesiontriage.contracts.ReasonCode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.lesiontriage.contracts.LesionImageEvent;
import org.lesiontriage.stack.RegistryServer;
import org.lesiontriage.stack.tls.LoopbackTls;

/** The serde against a real registry that serves HTTPS only, with a CA the test makes. */
@Tag("integration")
class RegistryTlsTest {

    private static LoopbackTls tls;
    private static RegistryServer registry;

    @BeforeAll
    static void startRegistry() throws IOException {
        Path work = Files.createTempDirectory("registry-tls");
        tls = LoopbackTls.generate(work.resolve("tls"));
        registry = RegistryServer.startHttps(work.resolve("registry"), tls);
    }

    @AfterAll
    static void stopRegistry() {
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void roundTripsWithTheCaInAPkcs12TruststoreOrAPemFile() {
        Map<String, Object> pkcs12 = configWithTruststore(tls.truststore().toString(), tls.password(), "PKCS12");
        Map<String, Object> pem = configWithTruststore(tls.caCertificatePem().toString(), null, "PEM");
        for (Map<String, Object> configs : java.util.List.of(pkcs12, pem)) {
            LesionImageEvent event = SampleRecords.lesionImageEvent();
            byte[] bytes = SpecificAvroSerde.configured(LesionImageEvent.class, configs, false).serializer()
                    .serialize("lesion-images", event);
            assertThat(SpecificAvroSerde.configured(LesionImageEvent.class, configs, false).deserializer()
                    .deserialize("lesion-images", bytes)).isEqualTo(event);
        }
    }

    @Test
    void anUntrustedCertificateFailsFastWithAClearTypedError() {
        Map<String, Object> configs = Map.of(RegistrySerdeConfig.SCHEMA_REGISTRY_URL, registry.confluentUrl());
        var serializer = SpecificAvroSerde.configured(LesionImageEvent.class, configs, false).serializer();
        long start = System.nanoTime();
        RegistrySerdeException e = Failures.expect(ReasonCode.REGISTRY_TLS,
                () -> serializer.serialize("lesion-images", SampleRecords.lesionImageEvent()));
        assertThat((System.nanoTime() - start) / 1_000_000).as("ms until the failure").isLessThan(5_000);
        assertThat(e).isNotNull();
        assertThat(e.reasonCode()).isEqualTo("REGISTRY_TLS");
        assertThat(e.getMessage()).contains("TLS handshake with the schema registry failed", registry.confluentUrl(),
                "certificate not trusted", RegistrySerdeConfig.SSL_TRUSTSTORE_LOCATION);
    }

    @Test
    void aWrongTruststorePasswordIsAConfigurationErrorThatKeepsThePasswordOut() {
        assertThatThrownBy(() -> RegistrySerdeConfig.from(
                configWithTruststore(tls.truststore().toString(), "not-" + tls.password(), "PKCS12")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(RegistrySerdeConfig.SSL_TRUSTSTORE_PASSWORD)
                .message().doesNotContain(tls.password());
        assertThatThrownBy(() -> RegistrySerdeConfig.from(
                configWithTruststore(tls.truststore() + ".missing", tls.password(), "PKCS12")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(RegistrySerdeConfig.SSL_TRUSTSTORE_LOCATION);
        RegistrySerdeConfig config = RegistrySerdeConfig.from(
                configWithTruststore(tls.truststore().toString(), tls.password(), null));
        assertThat(config.toString()).contains("truststore=" + tls.truststore()).doesNotContain(tls.password());
    }

    private static Map<String, Object> configWithTruststore(String location, String password, String type) {
        Map<String, Object> configs = new HashMap<>();
        configs.put(RegistrySerdeConfig.SCHEMA_REGISTRY_URL, registry.confluentUrl());
        configs.put(RegistrySerdeConfig.SSL_TRUSTSTORE_LOCATION, location);
        if (password != null) {
            configs.put(RegistrySerdeConfig.SSL_TRUSTSTORE_PASSWORD, password);
        }
        if (type != null) {
            configs.put(RegistrySerdeConfig.SSL_TRUSTSTORE_TYPE, type);
        }
        return configs;
    }
}
