package org.lesiontriage.clinictools.simulator;

import java.io.IOException;

/** Images to publish, loaded one at a time so a large folder never sits in memory at once. */
public interface ImageSource {

    int size();

    LesionImage load(int index) throws IOException;

    /** Where the images come from, for the start-up line. */
    String describe();
}
