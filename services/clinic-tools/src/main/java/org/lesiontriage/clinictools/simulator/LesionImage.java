package org.lesiontriage.clinictools.simulator;

import org.lesiontriage.common.labels.Label;

/** One image to publish: the file name (for the labels file only), its known class and its encoded bytes. */
public record LesionImage(String fileName, Label label, byte[] bytes) {
}
