package org.lesiontriage.dashboard.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** Starts a {@link DashboardStack} for a @QuarkusTest, points the dashboard at it and injects it into the test. */
public class DashboardStackResource implements QuarkusTestResourceLifecycleManager {

    private DashboardStack stack;

    @Override
    public Map<String, String> start() {
        stack = DashboardStack.start();
        return stack.dashboardConfig();
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(stack, new TestInjector.MatchesType(DashboardStack.class));
    }

    @Override
    public void stop() {
        if (stack != null) {
            stack.close();
        }
    }
}
