package org.lesiontriage.contracts;

/**
 * Sizes every producer, consumer, topic and broker of the triage flow agree on. Dermoscopic originals run to
 * several MB, so an image record (and a dead letter that carries it) may be up to 16 MiB.
 */
public final class RecordLimits {

    /** Largest image record: topic max.message.bytes, producer max.request.size, consumer partition fetch. */
    public static final int MAX_IMAGE_RECORD_BYTES = 16 * 1024 * 1024;
    /**
     * A record the service derives from an image record and the image record's bytes with it (an image waiting in
     * the pending-images changelog, a dead letter): the image record plus room for an envelope. Producers of the
     * service, the changelog and triage-failures take records up to this size.
     */
    public static final int MAX_DERIVED_RECORD_BYTES = MAX_IMAGE_RECORD_BYTES + 1024 * 1024;
    /** A consumer's whole fetch: a few image records at once. */
    public static final int MAX_FETCH_BYTES = 4 * MAX_IMAGE_RECORD_BYTES;

    private RecordLimits() {
    }
}
