package org.lesiontriage.triage.topology;

/** The topics of the triage flow; tests and tools use these constants, the service can rename them by config. */
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
