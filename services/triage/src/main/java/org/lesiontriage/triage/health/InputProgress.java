package org.lesiontriage.triage.health;

/**
 * The pipeline's progress at one check: records waiting on the input (committed offsets of the application's group
 * against the input's end offsets) and since when input has waited without any offset being committed.
 *
 * @param lag           records on the input not yet committed past; -1 when the broker could not be asked
 * @param stalledForMs  how long input has waited with no commit progress (0 when nothing waits or it progresses)
 * @param unreachableMs how long the broker has not answered the check (0 when it answers)
 */
public record InputProgress(long lag, long stalledForMs, long unreachableMs) {

    public static final InputProgress UNKNOWN = new InputProgress(-1, 0, 0);
}
