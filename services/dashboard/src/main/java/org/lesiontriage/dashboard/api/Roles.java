package org.lesiontriage.dashboard.api;

/** The dashboard's roles, as the roles file grants them. */
public final class Roles {

    /** Sees the queue, its case references and images, and marks cases reviewed. */
    public static final String CLINICIAN = "clinician";
    /** Sees the pipeline's state: rates, latency, dead letters' metadata, batches, the model. */
    public static final String OPERATOR = "operator";

    private Roles() {
    }
}
