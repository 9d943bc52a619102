package org.lesiontriage.contracts;

/**
 * Sizes every producer, consumer, topic and broker of the triage flow agree on. Dermoscopic originals run to
 * several MB, so an image record (and a dead letter that carries it) may be up to 16 MiB.
 */
public final class RecordLimits {

    /** Largest image record: topic max.message.bytes, producer max.request.size, consumer partition fetch. */
    public static final int MAX_IMAGE_RECORD_BYTES = 16 * 1024 * 1024;
    /** A consumer's whole fetch: a few image records at once. */
    public static final int MAX_FETCH_BYTES = 4 * MAX_IMAGE_RECORD_BYTES;

    private RecordLimits() {
    }
}
