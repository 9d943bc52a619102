package org.lesiontriage.triage.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;

/**
 * Starts a real broker and a real registry for a @QuarkusTest and points the service at them. With the init arg
 * {@code security=sasl-ssl} the stack is secured, and the service gets the settings an operator would give it.
 */
public class TriageStackResource implements QuarkusTestResourceLifecycleManager {

    public static final String SECURITY = "security";
    public static final String SASL_SSL = "sasl-ssl";
    /**
     * Init arg: {@code true} puts the registry behind a {@link TcpGate} (injected into the test) and makes the
     * health checks quick: a check every 500 ms, readiness DOWN after a 4 s stall, liveness after 12 s.
     */
    public static final String REGISTRY_GATE = "registry-gate";

    private TriageStack stack;
    private boolean secured;
    private boolean gated;
    private TcpGate gate;

    @Override
    public void init(Map<String, String> initArgs) {
        secured = SASL_SSL.equals(initArgs.get(SECURITY));
        gated = Boolean.parseBoolean(initArgs.get(REGISTRY_GATE));
    }

    @Override
    public Map<String, String> start() {
        stack = secured ? TriageStack.startSaslSsl() : TriageStack.start();
        Map<String, String> config = new HashMap<>();
        config.put("quarkus.kafka-streams.bootstrap-servers", stack.bootstrapServers());
        config.put("triage.schema-registry.url", stack.registryUrl());
        if (gated) {
            URI registry = URI.create(stack.registryUrl());
            gate = new TcpGate(registry.getPort());
            config.put("triage.schema-registry.url", stack.registryUrl().replace(":" + registry.getPort(), ":" + gate.port()));
            config.put("triage.health.check-interval", "500ms");
            config.put("triage.health.stall-timeout", "4s");
            config.put("triage.health.liveness-timeout", "12s");
        }
        config.put("triage.model.dir", TestModel.dir().toString());
        // Re-score jobs started over REST name their model under the project's models/ folder.
        config.put("triage.rescore.model-root", TestModel.projectRoot().resolve("models").toString());
        config.put("triage.rescore.work-dir", stack.workDir().resolve("rescore-jobs").toString());
        // The same keys the deployment sets through KAFKA_* and SCHEMA_REGISTRY_* variables.
        stack.clientSecurity().forEach((key, value) -> config.put("kafka-streams." + key, value));
        if (secured) {
            config.put("triage.schema-registry.truststore-location", stack.tls().truststore().toString());
            config.put("triage.schema-registry.truststore-password", stack.tls().password());
            config.put("triage.schema-registry.truststore-type", "PKCS12");
        }
        return config;
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(stack, new TestInjector.MatchesType(TriageStack.class));
        injector.injectIntoFields(gate, new TestInjector.MatchesType(TcpGate.class));
    }

    @Override
    public void stop() {
        if (gate != null) {
            gate.close();
        }
        if (stack != null) {
            stack.close();
        }
    }
}
