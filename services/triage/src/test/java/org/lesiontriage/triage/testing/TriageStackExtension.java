package org.lesiontriage.triage.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One plain {@link TriageStack} for a test class: {@code @RegisterExtension static final TriageStackExtension
 * STACK = new TriageStackExtension();}, started before the first test and closed after the last.
 */
public final class TriageStackExtension implements BeforeAllCallback, AfterAllCallback {

    private TriageStack stack;

    @Override
    public void beforeAll(ExtensionContext context) {
        stack = TriageStack.start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (stack != null) {
            stack.close();
        }
    }

    public TriageStack get() {
        if (stack == null) {
            throw new IllegalStateException("the test stack starts before the test class's first test");
        }
        return stack;
    }
}
