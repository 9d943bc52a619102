package org.lesiontriage.triage.topology;

/** Which input records a topology triages, by position: everything for the live service, a range for a replay. */
@FunctionalInterface
public interface OffsetWindow {

    /** The live service's window. */
    OffsetWindow ALL = (partition, offset) -> true;

    boolean admits(int partition, long offset);
}
