package org.lesiontriage.triage.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** Starts a real broker and a real registry for a @QuarkusTest and points the service at them. */
public class TriageStackResource implements QuarkusTestResourceLifecycleManager {

    private TriageStack stack;

    @Override
    public Map<String, String> start() {
        stack = TriageStack.start();
        return Map.of(
                "quarkus.kafka-streams.bootstrap-servers", stack.bootstrapServers(),
                "triage.schema-registry.url", stack.registryUrl(),
                "triage.model.dir", TestModel.dir().toString());
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
