/**
 * The model lifecycle: releases published on {@code triage-models}, prepared and checked by every instance, and
 * switched at offsets recorded on {@code triage-rollouts} (docs/model-lifecycle.md).
 *
 * <p>The stream processor asks only one thing of this package, {@link org.lesiontriage.triage.lifecycle.ScoringModels}:
 * which loaded model scores the record at this partition and offset. The answer depends on the partition, the offset
 * and the rollout history alone, so the live run, its restart after a crash and a replay "as live" all give the same.
 */
package org.lesiontriage.triage.lifecycle;
