package org.lesiontriage.bench.common;

/** What the benchmarks measure unless told: the service's default model. */
public final class BenchDefaults {

    /** The model the service serves by default (triage.model.dir in application.properties). */
    public static final String MODEL_DIR = "models/triagenet/2.0.0";

    private BenchDefaults() {
    }
}
