package org.lesiontriage.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.lesiontriage.deploy.kube.ContainerEnvironment;
import tools.jackson.databind.JsonNode;

/** What every client of the secured cluster needs: its own SCRAM user's JAAS config and both CAs as PEM files. */
final class TransportSecurityAssertions {

    static final String REGISTRY_CA_SECRET = "schema-registry-ca";

    private TransportSecurityAssertions() {
    }

    static void assertSecured(AppContainer app, String kafkaUser) {
        JsonNode workload = app.workload();
        JsonNode container = app.container();
        ContainerEnvironment environment = ContainerEnvironment.of(app.manifests(), container);
        Map<String, String> env = environment.variables();

        assertThat(env).containsEntry("KAFKA_SECURITY_PROTOCOL", "SASL_SSL")
                .containsEntry("KAFKA_SASL_MECHANISM", "SCRAM-SHA-512")
                .containsEntry("KAFKA_SSL_TRUSTSTORE_TYPE", "PEM")
                .containsEntry("SCHEMA_REGISTRY_TRUSTSTORE_TYPE", "PEM");
        assertThat(environment.secretKeys()).contains(new ContainerEnvironment.SecretKey("KAFKA_SASL_JAAS_CONFIG",
                kafkaUser, AgreedNames.JAAS_KEY));
        JsonNode user = ProjectFiles.rendered(ProjectFiles.SECURED).get("KafkaUser", kafkaUser);
        assertThat(user.at("/spec/authentication/type").asString()).isEqualTo("scram-sha-512");
        assertThat(user.at("/metadata/labels/strimzi.io~1cluster").asString()).isEqualTo(AgreedNames.KAFKA_CLUSTER);
        assertThat(Pods.isSecretFile(workload, container, env.get("KAFKA_SSL_TRUSTSTORE_LOCATION"),
                AgreedNames.CLUSTER_CA_SECRET, AgreedNames.CA_CERT_KEY)).as("Kafka CA file").isTrue();
        assertThat(Pods.isSecretFile(workload, container, env.get("SCHEMA_REGISTRY_TRUSTSTORE_LOCATION"),
                REGISTRY_CA_SECRET, AgreedNames.CA_CERT_KEY)).as("registry CA file").isTrue();
        NetworkAssertions.assertEgressAllowed(env.get("KAFKA_BOOTSTRAP_SERVERS"), env.get("SCHEMA_REGISTRY_URL"));
    }
}
