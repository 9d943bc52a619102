package org.lesiontriage.registry;

/** The topic name strategy: a topic's values live under subject {@code <topic>-value}, its keys under {@code <topic>-key}. */
public final class Subjects {

    private Subjects() {
    }

    public static String subject(String topic, boolean isKey) {
        return topic + (isKey ? "-key" : "-value");
    }
}
