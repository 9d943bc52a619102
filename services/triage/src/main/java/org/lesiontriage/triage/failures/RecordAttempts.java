package org.lesiontriage.triage.failures;

import org.jboss.logging.Logger;

/**
 * One stream task's view of the attempt ledger: finds the record that keeps making its task fail and says when
 * to set it aside, so one poison record costs one dead letter and never a stopped partition.
 *
 * <p>Normal processing touches the ledger only when something fails: a failure caught in the task (exception or
 * Error) is counted against the record, or against every record of the batch whose model run failed. A process
 * that dies without a chance to count (SIGKILL, exit on OutOfMemoryError, a native crash) is caught on the way
 * back: its task starts again at the offset it started at before. Then, and while records with counted failures
 * lie ahead, the task goes <em>careful</em>: each record is counted before it is processed, processed alone and
 * committed alone, and the count is cleared once it succeeded. A record whose count reaches the policy's maximum
 * is not processed again.
 */
final class RecordAttempts {

    private static final Logger LOG = Logger.getLogger(RecordAttempts.class);

    private final AttemptLedger ledger;
    private final PoisonPolicy policy;
    private final String topic;
    private final int partition;
    private PartitionAttempts state;
    private boolean started;
    private int carefulLeft;

    RecordAttempts(AttemptLedger ledger, PoisonPolicy policy, String topic, int partition) {
        this.ledger = ledger;
        this.policy = policy;
        this.topic = topic;
        this.partition = partition;
        this.state = ledger.load(topic, partition);
    }

    int partition() {
        return partition;
    }

    boolean started() {
        return started;
    }

    /** The task's first record since it was (re)created is at {@code offset}. */
    void start(long offset) {
        started = true;
        state = state.startedAt(offset);
        save();
        if (state.starts() > 1 || state.hasTriesFrom(offset)) {
            carefulLeft = policy.carefulRecords();
            LOG.warnf("Partition %s-%d starts again at offset %d (%d times in a row; failed records ahead: %s): "
                    + "processing the next %d records one at a time", topic, partition, offset, state.starts(),
                    state.tries().keySet(), carefulLeft);
        }
    }

    boolean careful() {
        return carefulLeft > 0;
    }

    boolean exhausted(long offset) {
        return state.triesOf(offset) >= policy.maxAttempts();
    }

    int triesOf(long offset) {
        return state.triesOf(offset);
    }

    /** Careful mode: counted before processing, so a crash that leaves no chance to count is counted too. */
    void before(long offset) {
        state = state.withTries(offset, state.triesOf(offset) + 1);
        save();
    }

    /** Careful mode: the record went through; a later crash (at commit, say) is not its fault. */
    void succeeded(long offset) {
        if (state.triesOf(offset) > 0) {
            state = state.withTries(offset, 0);
            save();
        }
        passed(offset);
    }

    /**
     * Careful mode: the record is behind (answered, or set aside with its count kept, so that an aborted commit
     * sets it aside again rather than trying it anew).
     */
    void passed(long offset) {
        carefulLeft = Math.max(0, carefulLeft - 1);
        if (carefulLeft == 0 && state.hasTriesFrom(offset + 1)) {
            carefulLeft = 1; // failed records still lie ahead: stay careful until they are behind
        }
    }

    /** Outside careful mode: processing failed on these records; count it before the failure goes on. */
    void failed(long... offsets) {
        for (long offset : offsets) {
            state = state.withTries(offset, state.triesOf(offset) + 1);
        }
        save();
    }

    /** Careful mode: the failure lay outside the record (registry down, model down); take the count back. */
    void forgive(long offset) {
        state = state.withTries(offset, state.triesOf(offset) - 1);
        save();
    }

    private void save() {
        ledger.save(topic, partition, state);
    }
}
