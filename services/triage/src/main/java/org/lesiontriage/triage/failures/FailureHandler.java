package org.lesiontriage.triage.failures;

import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;
import org.lesiontriage.contracts.ReasonCode;
import org.lesiontriage.registry.RegistrySerdeException;

/**
 * Decides, for the records of one stream task, what a failure means: the one place where a record becomes a dead
 * letter, where a failure is retried without blame, and where it is counted against the record. The stream
 * processor only reads, prepares, batches, scores and forwards, and runs each step through this class.
 *
 * <ul>
 *   <li>The input is at fault ({@link RejectedInputException}): a dead letter with its reason, now and once.</li>
 *   <li>Something outside the record failed (the schema registry is unreachable): rethrown, not counted; the task
 *       restarts and tries the record again.</li>
 *   <li>Anything else (an exception or Error while the record was handled): counted against the record, then
 *       rethrown, so that a record that keeps failing is found ({@link RecordAttempts}) and, at the policy's
 *       limit, set aside as a {@code REPEATED_FAILURE} dead letter.</li>
 *   <li>A failed model run: counted against every record of the batch only when the model still answers a probe
 *       (a model that answers nothing is not the input's fault).</li>
 * </ul>
 *
 * @param <R> the task's record type; the handler needs only its offset
 */
public final class FailureHandler<R> {

    /** A step on one record that may reject it. */
    @FunctionalInterface
    public interface Step<T> {
        T run() throws RejectedInputException;
    }

    /** Where the handler's verdicts go: the processor forwards dead letters and counts model failures. */
    public interface Outlet<R> {
        void deadLetter(R record, RejectedInputException why);

        void modelFailed(boolean modelAnswersAProbe);
    }

    private final RecordAttempts attempts;
    private final ToLongFunction<R> offsetOf;
    private final Outlet<R> outlet;

    public FailureHandler(AttemptLedger ledger, PoisonPolicy policy, String topic, int partition,
                          ToLongFunction<R> offsetOf, Outlet<R> outlet) {
        this.attempts = new RecordAttempts(ledger, policy, topic, partition);
        this.offsetOf = offsetOf;
        this.outlet = outlet;
    }

    /** Called with each record before it is handled: the task's first record tells where it (re)started. */
    public void arrived(R record) {
        if (!attempts.started()) {
            attempts.start(offsetOf.applyAsLong(record));
        }
    }

    /** After a restart without progress, or while failed records lie ahead: records go one at a time ({@link #alone}). */
    public boolean careful() {
        return attempts.careful();
    }

    /**
     * Runs a step on a record that shares its fate with a batch: its value, or empty when the record was rejected
     * (then it is a dead letter). Other failures are counted against the record (in careful mode {@link #alone}
     * counted it already) and rethrown.
     */
    public <T> Optional<T> attempt(R record, Step<T> step) {
        try {
            return Optional.of(step.run());
        } catch (RejectedInputException rejected) {
            outlet.deadLetter(record, rejected);
            return Optional.empty();
        } catch (RegistrySerdeException transientFailure) {
            throw transientFailure; // the registry is down: not the record's fault
        } catch (RuntimeException | Error failure) {
            if (!attempts.careful()) {
                attempts.failed(offsetOf.applyAsLong(record));
            }
            throw failure;
        }
    }

    /**
     * Careful mode: the record is counted before it is touched (a crash that leaves no chance to count is counted
     * too), handled on its own, and its count cleared once it went through; a record that reached the limit is not
     * touched again but set aside. Returns true when the record was answered, false when it became a dead letter.
     */
    public boolean alone(R record, Step<?> step) {
        long offset = offsetOf.applyAsLong(record);
        if (attempts.exhausted(offset)) {
            outlet.deadLetter(record, new RejectedInputException(ReasonCode.REPEATED_FAILURE, "Processing failed "
                    + attempts.triesOf(offset) + " times on this record (the stream thread or the process died "
                    + "with it); set aside so that partition " + attempts.partition() + " moves on", null));
            attempts.passed(offset);
            return false;
        }
        attempts.before(offset);
        boolean answered = true;
        try {
            step.run();
        } catch (RejectedInputException rejected) {
            outlet.deadLetter(record, rejected);
            answered = false;
        } catch (RegistrySerdeException transientFailure) {
            attempts.forgive(offset);
            throw transientFailure;
        }
        attempts.succeeded(offset);
        return answered;
    }

    /**
     * Runs the model on a batch. When it fails, a model that still answers a probe failed on these records: the
     * failure is counted against each (in careful mode the one record was counted already); a model that answers
     * nothing takes the blame itself. Either way the task fails and the batch is retried after the restart. The
     * batch's records are asked for only then, so that a model run that succeeds costs nothing here.
     */
    public <T> T score(Supplier<List<R>> records, ModelRun<T> run, BooleanSupplier modelAnswersAProbe) {
        try {
            return run.run();
        } catch (Exception | Error failure) {
            List<R> batch = records.get();
            boolean modelSound = modelAnswersAProbe.getAsBoolean();
            outlet.modelFailed(modelSound);
            if (attempts.careful()) {
                if (!modelSound) {
                    attempts.forgive(offsetOf.applyAsLong(batch.get(0)));
                }
            } else if (modelSound) {
                attempts.failed(batch.stream().mapToLong(offsetOf).toArray());
            }
            throw new IllegalStateException("Model run failed for a batch of " + batch.size(), failure);
        }
    }

    /** A model run, which may fail with a checked exception of the runtime. */
    @FunctionalInterface
    public interface ModelRun<T> {
        T run() throws Exception;
    }
}
