package org.lesiontriage.contracts;

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

    private Topics() {
    }
}
