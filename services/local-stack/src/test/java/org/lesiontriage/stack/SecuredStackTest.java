package org.lesiontriage.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lesiontriage.stack.tls.LoopbackTls;
import org.lesiontriage.stack.tls.ScramUser;

/** The secured modes of the local stack: a SASL_SSL broker and an HTTPS-only registry, with generated certificates. */
@Tag("integration")
class SecuredStackTest {

    @Test
    void saslSslBrokerAcceptsItsUserAndCreatesTopics(@TempDir Path work) throws Exception {
        LoopbackTls tls = LoopbackTls.generate(work.resolve("tls"));
        try (KafkaBroker broker = KafkaBroker.startSaslSsl(tls, ScramUser.random("clinic"))) {
            broker.createTopics(Map.of("secured", 1));
            Map<String, Object> config = new HashMap<>(broker.clientSecurity());
            config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
            try (Admin admin = Admin.create(config)) {
                assertThat(admin.listTopics().names().get(10, TimeUnit.SECONDS)).contains("secured");
            }
            assertThat(broker.clientSecurity()).containsEntry("security.protocol", "SASL_SSL")
                    .containsEntry("sasl.mechanism", "SCRAM-SHA-512");
        }
        assertThat(Files.list(work.resolve("tls")).map(p -> p.getFileName().toString()))
                .as("the CA's private key is gone once the server certificate is signed").doesNotContain("ca.p12");
    }

    @Test
    void registryServesHttpsOnlyToClientsThatTrustTheCa(@TempDir Path work) throws Exception {
        LoopbackTls tls = LoopbackTls.generate(work.resolve("tls"));
        try (RegistryServer registry = RegistryServer.startHttps(work.resolve("registry"), tls)) {
            assertThat(registry.confluentUrl()).startsWith("https://127.0.0.1:");
            URI config = URI.create(registry.confluentUrl() + "/config");
            HttpResponse<String> trusted = HttpClient.newBuilder().sslContext(tls.clientContext()).build()
                    .send(HttpRequest.newBuilder(config).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(trusted.statusCode()).isEqualTo(200);
            assertThat(trusted.body()).contains("BACKWARD");

            assertThatThrownBy(() -> HttpClient.newHttpClient()
                    .send(HttpRequest.newBuilder(config).build(), HttpResponse.BodyHandlers.ofString()))
                    .as("a client without the CA").isInstanceOf(SSLHandshakeException.class);
            assertThat(Files.readString(registry.logFile())).doesNotContain(tls.password());
        }
    }
}
