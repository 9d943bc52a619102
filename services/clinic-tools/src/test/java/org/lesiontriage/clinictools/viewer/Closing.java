package org.lesiontriage.clinictools.viewer;

/** Closes what a test class started, in order, skipping what never started. */
final class Closing {

    private Closing() {
    }

    static void all(AutoCloseable... parts) throws Exception {
        for (AutoCloseable part : parts) {
            if (part != null) {
                part.close();
            }
        }
    }
}
