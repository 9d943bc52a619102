package org.lesiontriage.triage.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.HashMap;
import java.util.Map;

/**
 * Starts a real broker and a real registry for a @QuarkusTest and points the service at them. With the init arg
 * {@code security=sasl-ssl} the stack is secured, and the service gets the settings an operator would give it.
 */
public class TriageStackResource implements QuarkusTestResourceLifecycleManager {

    public static final String SECURITY = "security";
    public static final String SASL_SSL = "sasl-ssl";

    private TriageStack stack;
    private boolean secured;

    @Override
    public void init(Map<String, String> initArgs) {
        secured = SASL_SSL.equals(initArgs.get(SECURITY));
    }

    @Override
    public Map<String, String> start() {
        stack = secured ? TriageStack.startSaslSsl() : TriageStack.start();
        Map<String, String> config = new HashMap<>();
        config.put("quarkus.kafka-streams.bootstrap-servers", stack.bootstrapServers());
        config.put("triage.schema-registry.url", stack.registryUrl());
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
    }

    @Override
    public void stop() {
        if (stack != null) {
            stack.close();
        }
    }
}
