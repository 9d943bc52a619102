package org.lesiontriage.bench.precision;

import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.lesiontriage.clinictools.simulator.ImageFolder;
import org.lesiontriage.clinictools.simulator.LesionImage;
import org.lesiontriage.clinictools.simulator.MediaTypes;
import org.lesiontriage.common.labels.Label;
import org.lesiontriage.triage.imaging.ImageLimits;
import org.lesiontriage.triage.imaging.ImagePreprocessor;

/**
 * The labelled images of a split folder ({@code melanoma/}, {@code non_melanoma/}, as its MANIFEST places them),
 * preprocessed once by the service's own preprocessing, so both models score exactly the same tensors.
 */
record LabelledImages(List<String> names, List<float[]> tensors, boolean[] melanoma) {

    static LabelledImages load(Path folder, int height, int width, int limit) throws Exception {
        ImageFolder images = ImageFolder.scan(folder);
        ImagePreprocessor preprocessor = new ImagePreprocessor(ImageLimits.defaults(), height, width);
        List<String> names = new ArrayList<>();
        List<float[]> tensors = new ArrayList<>();
        List<Boolean> labels = new ArrayList<>();
        for (int i = 0; i < images.size() && names.size() < limit; i++) {
            LesionImage image = images.load(i);
            if (image.label() == Label.UNKNOWN) {
                continue; // not in a class folder: no truth to score against
            }
            names.add(image.fileName());
            tensors.add(preprocessor.preprocess(image.bytes(), MediaTypes.sniff(image.bytes())));
            labels.add(image.label() == Label.MELANOMA);
        }
        if (names.isEmpty()) {
            throw new IOException("No labelled images (melanoma/, non_melanoma/) under " + folder);
        }
        boolean[] melanoma = new boolean[labels.size()];
        for (int i = 0; i < melanoma.length; i++) {
            melanoma[i] = labels.get(i);
        }
        return new LabelledImages(List.copyOf(names), List.copyOf(tensors), melanoma);
    }

    int size() {
        return names.size();
    }

    /** Copies images [from, from + count) into the start of {@code batch}. */
    void fill(FloatBuffer batch, int from, int count) {
        FloatBuffer target = batch.duplicate();
        target.clear();
        for (int i = from; i < from + count; i++) {
            target.put(tensors.get(i));
        }
    }
}
