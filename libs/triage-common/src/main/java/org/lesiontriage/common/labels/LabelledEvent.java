package org.lesiontriage.common.labels;

/** One line of a labels file. */
public record LabelledEvent(String eventId, Label label, String fileName) {
}
