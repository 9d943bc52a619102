package org.lesiontriage.clinictools.labels;

/** One line of a labels file. */
public record LabelledEvent(String eventId, Label label, String fileName) {
}
