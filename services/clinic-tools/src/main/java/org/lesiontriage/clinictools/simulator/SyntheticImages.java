package org.lesiontriage.clinictools.simulator;

import org.lesiontriage.common.labels.Label;
import org.lesiontriage.testfixtures.SyntheticLesions;

/**
 * {@code --synthetic N}: N of the project's synthetic lesions ({@link SyntheticLesions}, the images the tests draw),
 * for exercising the pipeline without data. Their triage means nothing, and their label is unknown.
 */
public final class SyntheticImages implements ImageSource {

    private final int count;

    public SyntheticImages(int count) {
        this.count = count;
    }

    @Override
    public int size() {
        return count;
    }

    @Override
    public LesionImage load(int index) {
        return new LesionImage(String.format("synthetic-%05d.jpg", index + 1), Label.UNKNOWN, SyntheticLesions.jpeg(index));
    }

    @Override
    public String describe() {
        return count + " synthetic images";
    }
}
