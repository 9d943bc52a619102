package org.lesiontriage.clinictools.labels;

import org.lesiontriage.common.labels.Label;

/** One line of a labels file. */
public record LabelledEvent(String eventId, Label label, String fileName) {
}
