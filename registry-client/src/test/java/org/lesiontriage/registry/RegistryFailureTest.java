package org.lesiontriage.registry;

import org.lesiontriage.contracts.ReasonCode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.lesiontriage.contracts.ModelRef;

/** How the serde reports registries that are down, slow, locked or unhappy, using scripted registries. */
@Tag("unit")
class RegistryFailureTest {

    private static final String ID_7 = "{\"id\":7}";
    private static final byte[] VALUE_WITH_ID_7 = {0, 0, 0, 0, 7, 2, 'a', 2, 'b', 2, 'c'};

    @Test
    void registryDownIsTransientAndNamesTheUrl() throws Exception {
        String url = StubRegistry.closedPortUrl();
        SpecificAvroSerde<ModelRef> serde = serde(Map.of("schema.registry.url", url));

        RegistrySerdeException onRead = Failures.expect(ReasonCode.REGISTRY_UNAVAILABLE,
                () -> serde.deserializer().deserialize("model-refs", VALUE_WITH_ID_7));
        RegistrySerdeException onWrite = Failures.expect(ReasonCode.REGISTRY_UNAVAILABLE,
                () -> serde.serializer().serialize("model-refs", SampleRecords.modelRef()));

        for (RegistrySerdeException e : new RegistrySerdeException[] {onRead, onWrite}) {
            assertThat(e.reasonCode()).isEqualTo("REGISTRY_UNAVAILABLE");
            assertThat(e.isTransient()).isTrue();
            assertThat(e).hasMessageContaining(url).hasMessageContaining("connection refused");
        }
    }

    @Test
    void aRegistryThatDoesNotAnswerInTimeIsUnavailable() throws Exception {
        try (StubRegistry slow = StubRegistry.start(request -> {
            Thread.sleep(5_000);
            return new StubRegistry.Answer(200, ID_7);
        })) {
            SpecificAvroSerde<ModelRef> serde = serde(Map.of("schema.registry.url", slow.url(),
                    "schema.registry.request.timeout.ms", 300));
            long start = System.nanoTime();

            assertThatThrownBy(() -> serde.serializer().serialize("model-refs", SampleRecords.modelRef()))
                    .isInstanceOf(RegistrySerdeException.class).hasFieldOrPropertyWithValue("reason", ReasonCode.REGISTRY_UNAVAILABLE)
                    .hasMessageContaining(slow.url())
                    .hasMessageContaining("no answer within 300 ms");
            assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(3_000);
        }
    }

    @Test
    void basicAuthIsSentAndRefusalsAreUnauthorized() throws Exception {
        String expected = "Basic " + Base64.getEncoder().encodeToString("clinic:s3cret".getBytes(StandardCharsets.UTF_8));
        try (StubRegistry locked = StubRegistry.start(request -> expected.equals(request.authorization())
                ? new StubRegistry.Answer(200, ID_7)
                : new StubRegistry.Answer(401, "{\"error_code\":40101,\"message\":\"Unauthorized\"}"))) {
            Map<String, Object> configs = new HashMap<>(Map.of("schema.registry.url", locked.url()));

            RegistrySerdeException anonymous = Failures.expect(ReasonCode.REGISTRY_UNAUTHORIZED,
                    () -> serde(configs).serializer().serialize("model-refs", SampleRecords.modelRef()));
            configs.put("basic.auth.user.info", "clinic:wrong");
            RegistrySerdeException wrong = Failures.expect(ReasonCode.REGISTRY_UNAUTHORIZED,
                    () -> serde(configs).serializer().serialize("model-refs", SampleRecords.modelRef()));
            configs.put("basic.auth.user.info", "clinic:s3cret");
            byte[] bytes = serde(configs).serializer().serialize("model-refs", SampleRecords.modelRef());

            for (RegistrySerdeException e : new RegistrySerdeException[] {anonymous, wrong}) {
                assertThat(e.reasonCode()).isEqualTo("REGISTRY_UNAUTHORIZED");
                assertThat(e.isTransient()).as("the setup's fault: retry, do not dead-letter").isTrue();
                assertThat(e).hasMessageContaining("HTTP 401").hasMessageContaining("error_code 40101")
                        .hasMessageContaining("model-refs-value").hasMessageNotContaining("wrong");
            }
            assertThat(ConfluentWireFormat.schemaId(bytes)).isEqualTo(7);
            assertThat(locked.requests()).extracting(StubRegistry.Request::authorization).last().isEqualTo(expected);
        }
    }

    @Test
    void credentialsInTheUrlAreSentButNeverPrinted() throws Exception {
        String expected = "Basic " + Base64.getEncoder().encodeToString("clinic:s3cret".getBytes(StandardCharsets.UTF_8));
        try (StubRegistry locked = StubRegistry.start(request -> expected.equals(request.authorization())
                ? new StubRegistry.Answer(404, "{\"error_code\":40403,\"message\":\"Schema not found\"}")
                : new StubRegistry.Answer(401, ""))) {
            String url = locked.url().replace("http://", "http://clinic:s3cret@");
            SpecificAvroSerde<ModelRef> serde = serde(Map.of("schema.registry.url", url,
                    "basic.auth.credentials.source", "URL"));

            // Authenticated, so the registry's answer is "unknown id", not 401.
            assertThatThrownBy(() -> serde.deserializer().deserialize("model-refs", VALUE_WITH_ID_7))
                    .isInstanceOf(RegistrySerdeException.class).hasFieldOrPropertyWithValue("reason", ReasonCode.UNKNOWN_SCHEMA_ID)
                    .hasMessageContaining(locked.url() + "/schemas/ids/7")
                    .hasMessageNotContaining("s3cret");
        }
    }

    @Test
    void aConnectionClosedWithoutAnAnswerIsRetriedOnceOnANewOne() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        try (StubRegistry flaky = StubRegistry.start(request -> {
                 if (calls.incrementAndGet() == 1) {
                     throw new InterruptedException("drop the connection without an answer");
                 }
                 return new StubRegistry.Answer(200, ID_7);
             });
             StubRegistry dropping = StubRegistry.start(request -> {
                 throw new InterruptedException("never answers");
             })) {
            byte[] bytes = serde(Map.of("schema.registry.url", flaky.url())).serializer()
                    .serialize("model-refs", SampleRecords.modelRef());
            assertThat(ConfluentWireFormat.schemaId(bytes)).isEqualTo(7);
            assertThat(flaky.requests()).hasSize(2);

            RegistrySerdeException e = Failures.expect(ReasonCode.REGISTRY_UNAVAILABLE,
                    () -> serde(Map.of("schema.registry.url", dropping.url())).serializer()
                            .serialize("model-refs", SampleRecords.modelRef()));
            assertThat(e.isTransient()).isTrue();
            assertThat(dropping.requests()).as("one retry, then the URL counts as unavailable").hasSize(2);
        }
    }

    @Test
    void serverErrorsAreTransientAndTheNextUrlIsTried() throws Exception {
        try (StubRegistry broken = StubRegistry.start(request ->
                new StubRegistry.Answer(503, "{\"error_code\":50003,\"message\":\"store not ready\"}"));
             StubRegistry healthy = StubRegistry.start(request -> new StubRegistry.Answer(200, ID_7))) {
            String down = StubRegistry.closedPortUrl();

            byte[] bytes = serde(Map.of("schema.registry.url", down + "," + broken.url() + "," + healthy.url()))
                    .serializer().serialize("model-refs", SampleRecords.modelRef());
            assertThat(ConfluentWireFormat.schemaId(bytes)).isEqualTo(7);
            assertThat(broken.requests()).hasSize(1);

            RegistrySerdeException e = Failures.expect(ReasonCode.REGISTRY_UNAVAILABLE,
                    () -> serde(Map.of("schema.registry.url", down + "," + broken.url()))
                            .serializer().serialize("model-refs", SampleRecords.modelRef()));
            assertThat(e.isTransient()).isTrue();
            assertThat(e).hasMessageContaining("HTTP 503").hasMessageContaining("store not ready");
        }
    }

    @Test
    void invalidSchemaAndOtherRejectionsAreTyped() throws Exception {
        try (StubRegistry rejecting = StubRegistry.start(request -> new StubRegistry.Answer(422,
                "{\"error_code\":42201,\"message\":\"Invalid schema\"}"))) {
            assertThatThrownBy(() -> serde(Map.of("schema.registry.url", rejecting.url()))
                    .serializer().serialize("model-refs", SampleRecords.modelRef()))
                    .isInstanceOf(RegistrySerdeException.class).hasFieldOrPropertyWithValue("reason", ReasonCode.INVALID_SCHEMA)
                    .hasMessageContaining("error_code 42201")
                    .extracting(e -> ((RegistrySerdeException) e).reasonCode()).isEqualTo("INVALID_SCHEMA");
        }
        try (StubRegistry odd = StubRegistry.start(request -> new StubRegistry.Answer(400, "<html>bad</html>"))) {
            assertThatThrownBy(() -> serde(Map.of("schema.registry.url", odd.url()))
                    .deserializer().deserialize("model-refs", VALUE_WITH_ID_7))
                    .isInstanceOf(RegistrySerdeException.class).hasFieldOrPropertyWithValue("reason", ReasonCode.REGISTRY_ERROR)
                    .hasMessageContaining("HTTP 400: <html>bad</html>")
                    .extracting(e -> ((RegistrySerdeException) e).reasonCode()).isEqualTo("REGISTRY_ERROR");
        }
    }

    private static SpecificAvroSerde<ModelRef> serde(Map<String, ?> configs) {
        return SpecificAvroSerde.configured(ModelRef.class, configs, false);
    }
}
