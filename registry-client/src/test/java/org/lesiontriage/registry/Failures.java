package org.lesiontriage.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.lesiontriage.contracts.ReasonCode;

/** The serde failure a call must throw, checked for its reason code. */
final class Failures {

    private Failures() {
    }

    static RegistrySerdeException expect(ReasonCode reason, ThrowingCallable call) {
        RegistrySerdeException e = catchThrowableOfType(RegistrySerdeException.class, call);
        assertThat(e).as("expected a %s failure", reason).isNotNull();
        assertThat(e.reason()).isEqualTo(reason);
        return e;
    }
}
