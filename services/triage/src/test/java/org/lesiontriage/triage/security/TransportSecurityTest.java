package org.lesiontriage.triage.security;

import org.lesiontriage.contracts.ReasonCode;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.lesiontriage.contracts.LesionImageEvent;
import org.lesiontriage.registry.RegistrySerdeException;
import org.lesiontriage.stack.tls.ScramUser;
import org.lesiontriage.triage.testing.ImageEventProducer;
import org.lesiontriage.triage.testing.LesionEvents;
import org.lesiontriage.triage.testing.TopicReader;
import org.lesiontriage.triage.testing.TriageStack;
import org.lesiontriage.triage.testing.TriageStackResource;
import org.lesiontriage.triage.testing.VerboseFileLog;
import org.lesiontriage.contracts.Topics;

/**
 * The whole service against a SASL_SSL broker (SCRAM-SHA-512, TLS with a CA made for the run) and an HTTPS-only
 * registry, configured through the same keys a deployment sets. A clinic's producer (the tests' ImageEventProducer
 * with the client security settings) sends the events; every one gets exactly one result, read back over SASL_SSL.
 * A wrong password, a client without the CA and a serde without the registry's CA each fail fast and say why; no
 * secret reaches the service's log.
 */
@QuarkusTest
@QuarkusTestResource(value = TriageStackResource.class, restrictToAnnotatedClass = true,
        initArgs = @ResourceArg(name = TriageStackResource.SECURITY, value = TriageStackResource.SASL_SSL))
@Tag("integration")
@TestProfile(TransportSecurityTest.ServiceLog.class)
class TransportSecurityTest {

    static final Path LOG = VerboseFileLog.of(TransportSecurityTest.class);
    /** Well under the clients' own timeouts (max.block.ms 30 s, request timeouts 30 s and more). */
    static final long FAST_MS = 15_000;

    /** The service's log, verbose, in target/CLASS/service.log, which the test searches. */
    public static class ServiceLog extends VerboseFileLog {
    }

    TriageStack stack;

    @Test
    void clinicEventsGetExactlyOneResultEachOverSaslSsl() throws Exception {
        List<String> sent = new ArrayList<>();
        try (ImageEventProducer clinic = producer(stack.clientSecurity(), stack.serdeConfig())) {
            for (int i = 0; i < 4; i++) {
                LesionImageEvent event = LesionEvents.jpeg(i);
                clinic.send(event).get(30, TimeUnit.SECONDS);
                sent.add(event.getEventId().toString());
            }
        }
        List<GenericRecord> results = TopicReader.readGeneric(stack.bootstrapServers(), stack.clientSecurity(),
                Topics.TRIAGE_RESULTS, stack.serdeConfig(), sent.size(), Duration.ofSeconds(60), Duration.ofSeconds(1));

        assertThat(results).extracting(r -> r.get("event_id").toString()).containsExactlyInAnyOrderElementsOf(sent);
        String log = Files.readString(LOG);
        assertThat(log).as("the service's log").contains("triage-service")
                .doesNotContain(stack.tls().password())
                .doesNotContain(passwordOf(stack.clientSecurity()));
    }

    @Test
    void aWrongPasswordFailsFastAsAnAuthenticationFailure() {
        Map<String, String> wrong = new HashMap<>(stack.clientSecurity());
        wrong.put("sasl.jaas.config", ScramUser.random("triage").jaasConfig());

        Throwable failure = publishOne(wrong, stack.serdeConfig());

        assertThat(failure).isInstanceOf(SaslAuthenticationException.class)
                .hasMessageContaining("Authentication failed").hasMessageContaining("SCRAM-SHA-512");
    }

    @Test
    void aClientWithoutTheCaFailsTheTlsHandshakeFast() {
        Map<String, String> untrusting = new HashMap<>(stack.clientSecurity());
        untrusting.keySet().removeIf(key -> key.startsWith("ssl.truststore."));

        Throwable failure = publishOne(untrusting, stack.serdeConfig());

        assertThat(failure).isInstanceOf(SslAuthenticationException.class).hasMessageContaining("SSL handshake failed");
        assertThat(rootCause(failure)).hasMessageContaining("unable to find valid certification path");
    }

    @Test
    void aSerdeWithoutTheRegistryCaFailsWithATypedTlsError() {
        Map<String, Object> untrusting = Map.of("schema.registry.url", stack.registryUrl());

        Throwable failure = publishOne(stack.clientSecurity(), untrusting);

        assertThat(failure).isInstanceOf(RegistrySerdeException.class).hasFieldOrPropertyWithValue("reason", ReasonCode.REGISTRY_TLS)
                .hasMessageContaining("TLS handshake with the schema registry failed")
                .hasMessageContaining("certificate not trusted")
                .hasMessageContaining("schema.registry.ssl.truststore.location");
    }

    /** Publishes one event and returns why it failed, asserting that it did, and fast. */
    private Throwable publishOne(Map<String, String> clientSecurity, Map<String, Object> serdeConfig) {
        long start = System.nanoTime();
        Throwable failure = null;
        try (ImageEventProducer clinic = producer(clientSecurity, serdeConfig)) {
            clinic.send(LesionEvents.jpeg(99)).get(FAST_MS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            failure = e.getCause();
        } catch (Exception e) {
            failure = e;
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(failure).as("publishing failed").isNotNull();
        assertThat(millis).as("ms until the failure").isLessThan(FAST_MS);
        return failure;
    }

    /** A clinic's producer with these security settings; max.block.ms 30 s, as the reference publisher sets it. */
    private ImageEventProducer producer(Map<String, String> clientSecurity, Map<String, Object> serdeConfig) {
        Map<String, Object> client = new HashMap<>(clientSecurity);
        client.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000);
        return new ImageEventProducer(stack.bootstrapServers(), serdeConfig, Topics.LESION_IMAGES, client);
    }

    private static String passwordOf(Map<String, String> clientSecurity) {
        String jaas = clientSecurity.get("sasl.jaas.config");
        return jaas.substring(jaas.indexOf("password=\"") + "password=\"".length(), jaas.lastIndexOf('"'));
    }

    private static Throwable rootCause(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root;
    }
}
