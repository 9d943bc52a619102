package org.lesiontriage.triage.failures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.lesiontriage.contracts.ReasonCode;
import org.lesiontriage.registry.RegistrySerdeException;

/**
 * Every fate a record can meet, without Kafka: records are their offsets, the ledger is in memory, and the outlet
 * writes down the dead letters and model failures the handler decides on. A "restart" is a new handler on the same
 * ledger, as a new stream task is.
 */
@Tag("unit")
class FailureHandlerTest {

    private static final PoisonPolicy POLICY = new PoisonPolicy(3, 2);

    private final InMemoryAttemptLedger ledger = new InMemoryAttemptLedger();
    private final List<String> deadLetters = new ArrayList<>();
    private final List<Boolean> modelFailures = new ArrayList<>();

    private FailureHandler<Long> task() {
        return new FailureHandler<>(ledger, POLICY, "lesion-images", 0, offset -> offset, new FailureHandler.Outlet<>() {
            @Override
            public void deadLetter(Long offset, RejectedInputException why) {
                deadLetters.add(offset + " " + why.reason());
            }

            @Override
            public void modelFailed(boolean modelAnswersAProbe) {
                modelFailures.add(modelAnswersAProbe);
            }
        });
    }

    private int triesOf(long offset) {
        return ledger.load("lesion-images", 0).triesOf(offset);
    }

    @ParameterizedTest
    @EnumSource(ReasonCode.class)
    void aRejectedRecordIsOneDeadLetterWithItsReasonAndIsNotCounted(ReasonCode reason) {
        FailureHandler<Long> task = task();
        task.arrived(10L);

        Optional<String> result = task.attempt(10L, () -> {
            throw new RejectedInputException(reason, "refused", "event-1");
        });

        assertThat(result).isEmpty();
        assertThat(deadLetters).containsExactly("10 " + reason);
        assertThat(triesOf(10)).isZero();
    }

    @Test
    void aStepThatSucceedsGivesItsValue() {
        FailureHandler<Long> task = task();
        task.arrived(10L);

        assertThat(task.attempt(10L, () -> "tensor")).contains("tensor");
        assertThat(deadLetters).isEmpty();
    }

    @Test
    void anUnreachableRegistryIsRetriedWithoutBlame() {
        FailureHandler<Long> task = task();
        task.arrived(10L);

        assertThatThrownBy(() -> task.attempt(10L, () -> {
            throw new RegistrySerdeException(ReasonCode.REGISTRY_ERROR, "registry down");
        })).isInstanceOf(RegistrySerdeException.class);

        assertThat(triesOf(10)).as("not the record's fault").isZero();
        assertThat(deadLetters).isEmpty();
    }

    @Test
    void anyOtherFailureIsCountedAgainstTheRecordAndRethrown() {
        FailureHandler<Long> task = task();
        task.arrived(10L);

        assertThatThrownBy(() -> task.attempt(11L, () -> {
            throw new OutOfMemoryError("decoder");
        })).isInstanceOf(OutOfMemoryError.class);
        assertThatThrownBy(() -> task.attempt(11L, () -> {
            throw new IllegalStateException("bug");
        })).isInstanceOf(IllegalStateException.class);

        assertThat(triesOf(11)).isEqualTo(2);
        assertThat(triesOf(10)).isZero();
    }

    @Test
    void aRestartWithoutProgressTurnsCarefulAndARecordAloneIsCountedBeforeItIsTouched() {
        FailureHandler<Long> first = task();
        first.arrived(10L);
        assertThat(first.careful()).as("a first start is not careful").isFalse();

        FailureHandler<Long> again = task(); // the task died before committing past 10
        again.arrived(10L);
        assertThat(again.careful()).isTrue();

        List<Integer> countWhileRunning = new ArrayList<>();
        boolean answered = again.alone(10L, () -> countWhileRunning.add(triesOf(10)));

        assertThat(answered).isTrue();
        assertThat(countWhileRunning).as("counted before it was touched: a crash inside is counted too")
                .containsExactly(1);
        assertThat(triesOf(10)).as("cleared once it went through").isZero();
    }

    @Test
    void aRecordThatKeepsKillingItsTaskIsSetAsideAfterTheMaximumAttempts() {
        for (int crash = 0; crash < POLICY.maxAttempts(); crash++) {
            FailureHandler<Long> task = task();
            task.arrived(10L);
            if (task.careful()) {
                int before = crash;
                assertThatThrownBy(() -> task.alone(10L, () -> {
                    throw new OutOfMemoryError("killed the thread, attempt " + before);
                })).isInstanceOf(OutOfMemoryError.class);
            } else {
                assertThatThrownBy(() -> task.attempt(10L, () -> {
                    throw new OutOfMemoryError("first attempt");
                })).isInstanceOf(OutOfMemoryError.class);
            }
        }
        assertThat(triesOf(10)).isEqualTo(POLICY.maxAttempts());

        FailureHandler<Long> task = task();
        task.arrived(10L);
        List<Long> touched = new ArrayList<>();
        boolean answered = task.alone(10L, () -> touched.add(10L));

        assertThat(answered).isFalse();
        assertThat(touched).as("not touched again").isEmpty();
        assertThat(deadLetters).containsExactly("10 REPEATED_FAILURE");
        assertThat(triesOf(10)).as("the count stays, so an aborted commit sets it aside again").isEqualTo(3);
    }

    @Test
    void aRecordAloneThatIsRejectedIsADeadLetterAndItsCountIsCleared() {
        task().arrived(10L);
        FailureHandler<Long> again = task();
        again.arrived(10L);

        boolean answered = again.alone(10L, () -> {
            throw new RejectedInputException(ReasonCode.IMAGE_CORRUPT, "truncated", "event-1");
        });

        assertThat(answered).isFalse();
        assertThat(deadLetters).containsExactly("10 IMAGE_CORRUPT");
        assertThat(triesOf(10)).isZero();
    }

    @Test
    void aRecordAloneThatMeetsAnUnreachableRegistryGetsItsCountBack() {
        task().arrived(10L);
        FailureHandler<Long> again = task();
        again.arrived(10L);

        assertThatThrownBy(() -> again.alone(10L, () -> {
            throw new RegistrySerdeException(ReasonCode.REGISTRY_ERROR, "registry down");
        })).isInstanceOf(RegistrySerdeException.class);

        assertThat(triesOf(10)).isZero();
    }

    @Test
    void aFailedModelRunIsBlamedOnItsBatchOnlyWhenTheModelStillAnswersAProbe() {
        FailureHandler<Long> task = task();
        task.arrived(10L);

        assertThatThrownBy(() -> task.score(() -> List.of(10L, 11L), () -> {
            throw new IllegalArgumentException("bad tensor");
        }, () -> true)).isInstanceOf(IllegalStateException.class).hasMessageContaining("batch of 2");
        assertThat(triesOf(10)).isEqualTo(1);
        assertThat(triesOf(11)).isEqualTo(1);

        assertThatThrownBy(() -> task.score(() -> List.of(12L), () -> {
            throw new IllegalStateException("session closed");
        }, () -> false)).isInstanceOf(IllegalStateException.class);
        assertThat(triesOf(12)).as("a model that answers nothing is not the input's fault").isZero();
        assertThat(modelFailures).containsExactly(true, false);
    }

    @Test
    void inCarefulModeABrokenModelTakesBackTheCountOfTheRecordAlone() {
        task().arrived(10L);
        FailureHandler<Long> again = task();
        again.arrived(10L);

        assertThatThrownBy(() -> again.alone(10L, () -> again.score(() -> List.of(10L), () -> {
            throw new IllegalStateException("session closed");
        }, () -> false))).isInstanceOf(IllegalStateException.class);

        assertThat(triesOf(10)).isZero();
    }

    @Test
    void aModelRunThatSucceedsGivesItsScores() {
        FailureHandler<Long> task = task();
        task.arrived(10L);

        assertThat(task.score(() -> List.of(10L), () -> new float[][] {{0.2f, 0.8f}}, () -> true)[0]).containsExactly(0.2f, 0.8f);
        assertThat(modelFailures).isEmpty();
    }
}
