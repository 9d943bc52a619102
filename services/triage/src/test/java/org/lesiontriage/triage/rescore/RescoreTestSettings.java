package org.lesiontriage.triage.rescore;

import java.nio.file.Path;
import org.lesiontriage.triage.testing.TriageStack;

/** The re-score settings of {@link RescoreJobTest}, for replay tests of other packages. */
public final class RescoreTestSettings {

    private RescoreTestSettings() {
    }

    public static RescoreSettings of(TriageStack stack, Path workDir) {
        return RescoreJobTest.settings(stack, workDir);
    }
}
