package org.lesiontriage.contracts;

import java.util.Set;

/**
 * The default names of the triage topics, shared by every module and by the tests. A deployment may rename them
 * ({@code triage.topics.*}); code that must know the live names reads the configuration, not these constants.
 */
public final class Topics {

    /** Lesion image events from clinics (LesionImageEvent), keyed by case reference. */
    public static final String LESION_IMAGES = "lesion-images";
    /** One TriageResult per triaged image, keyed like the input. */
    public static final String TRIAGE_RESULTS = "triage-results";
    /** One DeadLetter per input that could not be triaged, with the original bytes. */
    public static final String TRIAGE_FAILURES = "triage-failures";
    /**
     * Clinicians' reviews (CaseReview), keyed by case reference, compacted ({@link #COMPACTED}): the latest review
     * of every case, so the dashboard's queue survives a restart and every dashboard instance agrees.
     */
    public static final String REVIEWS = "triage-reviews";
    /** Results of the shadow version (TriageResult, keyed like the input): never read as live results. */
    public static final String SHADOW_RESULTS = "triage-shadow-results";
    /** Model releases (ModelRelease), keyed by name:version, compacted: every version ever published, once. */
    public static final String MODELS = "triage-models";
    /** What each service instance reports about each release (ModelStatus), keyed by instance/name:version. */
    public static final String MODEL_STATUS = "triage-model-status";
    /**
     * Activations and rollbacks (ModelRollout), keyed by rollout id, one partition so that their order is the
     * order every input partition saw their markers in; compacted with unique keys, so the whole history stays.
     */
    public static final String ROLLOUTS = "triage-rollouts";
    /** The topics whose cleanup policy is compaction: the latest record per key is what counts. */
    public static final Set<String> COMPACTED = java.util.Set.of(REVIEWS, MODELS, MODEL_STATUS, ROLLOUTS);
    /** The model lifecycle's topics, each with one partition (docs/model-lifecycle.md). */
    public static final Set<String> LIFECYCLE = java.util.Set.of(MODELS, MODEL_STATUS, ROLLOUTS);

    private Topics() {
    }
}
