package org.lesiontriage.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class RegistrySerdeConfigTest {

    @Test
    void missingUrlIsAClearConfigurationError() {
        assertThatThrownBy(() -> RegistrySerdeConfig.from(Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("schema.registry.url");
        assertThatThrownBy(() -> RegistrySerdeConfig.from(Map.of("schema.registry.url", " ")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("schema.registry.url");
    }

    @Test
    void defaults() {
        RegistrySerdeConfig config = RegistrySerdeConfig.from(Map.of("schema.registry.url", "http://registry:8081/"));
        assertThat(config.urls()).containsExactly(URI.create("http://registry:8081"));
        assertThat(config.autoRegisterSchemas()).isTrue();
        assertThat(config.authorizationHeader()).isEmpty();
        assertThat(config.connectTimeout()).isEqualTo(Duration.ofMillis(5_000));
        assertThat(config.requestTimeout()).isEqualTo(Duration.ofMillis(10_000));
    }

    @Test
    void readsSeveralUrlsAndExplicitSettings() {
        RegistrySerdeConfig config = RegistrySerdeConfig.from(Map.of(
                "schema.registry.url", "http://a:8081, https://b:8443/apis/ccompat/v7",
                "auto.register.schemas", "false",
                "schema.registry.connect.timeout.ms", 250,
                "schema.registry.request.timeout.ms", "750"));
        assertThat(config.urls()).containsExactly(URI.create("http://a:8081"),
                URI.create("https://b:8443/apis/ccompat/v7"));
        assertThat(config.autoRegisterSchemas()).isFalse();
        assertThat(config.connectTimeout()).isEqualTo(Duration.ofMillis(250));
        assertThat(config.requestTimeout()).isEqualTo(Duration.ofMillis(750));
        assertThat(RegistrySerdeConfig.from(Map.of("schema.registry.url", List.of("http://a:1", "http://b:2"))).urls())
                .hasSize(2);
    }

    @Test
    void userInfoBecomesABasicAuthHeader() {
        RegistrySerdeConfig config = RegistrySerdeConfig.from(Map.of(
                "schema.registry.url", "http://registry:8081",
                "basic.auth.user.info", "clinic:s3cret"));
        assertThat(config.authorizationHeader()).contains("Basic " + base64("clinic:s3cret"));
        assertThat(config.toString()).doesNotContain("s3cret").contains("basicAuth=true");
    }

    @Test
    void credentialsInTheUrlAreUsedAndStrippedFromIt() {
        RegistrySerdeConfig config = RegistrySerdeConfig.from(Map.of(
                "schema.registry.url", "http://clinic:p%40ss@registry:8081",
                "basic.auth.credentials.source", "URL"));
        assertThat(config.authorizationHeader()).contains("Basic " + base64("clinic:p@ss"));
        assertThat(config.urls()).containsExactly(URI.create("http://registry:8081"));
        assertThat(config.toString()).doesNotContain("p%40ss").doesNotContain("p@ss");
    }

    @Test
    void userInfoSettingWinsOverUrlCredentialsWithTheDefaultSource() {
        RegistrySerdeConfig config = RegistrySerdeConfig.from(Map.of(
                "schema.registry.url", "http://old:pw@registry:8081",
                "basic.auth.user.info", "new:pw2"));
        assertThat(config.authorizationHeader()).contains("Basic " + base64("new:pw2"));
    }

    @Test
    void rejectsInvalidSettingsNamingTheKey() {
        assertThatThrownBy(() -> RegistrySerdeConfig.from(Map.of("schema.registry.url", "http://r:1",
                "basic.auth.credentials.source", "SASL_INHERIT")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("basic.auth.credentials.source");
        assertThatThrownBy(() -> RegistrySerdeConfig.from(Map.of("schema.registry.url", "http://r:1",
                "basic.auth.user.info", "no-colon")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("user:password");
        assertThatThrownBy(() -> RegistrySerdeConfig.from(Map.of("schema.registry.url", "http://r:1",
                "schema.registry.request.timeout.ms", "soon")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("schema.registry.request.timeout.ms");
        assertThatThrownBy(() -> RegistrySerdeConfig.from(Map.of("schema.registry.url", "http://r:1",
                "auto.register.schemas", "yes")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("auto.register.schemas");
        assertThatThrownBy(() -> RegistrySerdeConfig.from(Map.of("schema.registry.url", "registry:8081")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("malformed");
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
