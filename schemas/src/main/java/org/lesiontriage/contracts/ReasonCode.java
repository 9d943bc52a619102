package org.lesiontriage.contracts;

/**
 * Why an input got no triage result: the {@code reason_code} of a {@link DeadLetter}, and of every failure of the
 * registry serde. Permanent reasons lie in the record itself: it becomes a dead letter. Transient reasons lie
 * outside it (a registry that is down, refuses the credentials or the TLS handshake): the record is retried,
 * never dead-lettered. docs/operations.md explains each.
 */
public enum ReasonCode {
    /** The record has no value (a tombstone). */
    MISSING_VALUE,
    /** Not the Confluent wire format (magic byte 0 + 4-byte schema id). */
    NOT_WIRE_FORMAT,
    /** The schema id in the header is not known to the registry. */
    UNKNOWN_SCHEMA_ID,
    /** The writer schema cannot be read with the reader schema, or the body does not decode with it. */
    SCHEMA_MISMATCH,
    /** The body declares a length or item count that the record's own bytes cannot hold (checked before decoding). */
    DECLARED_SIZE_BEYOND_RECORD,
    /** A required field is missing from the writer schema or blank in the record. */
    MISSING_FIELD,
    /** Lookup of a schema that auto-registration is off for. */
    SCHEMA_NOT_REGISTERED,
    /** The registry refused a new schema version as incompatible. */
    INCOMPATIBLE_SCHEMA,
    /** The registry refused the schema as invalid. */
    INVALID_SCHEMA,
    /** The record cannot be encoded with its schema. */
    INVALID_RECORD,
    /** The registry answered something the protocol does not allow. */
    REGISTRY_ERROR,
    /** The registry cannot be reached or answered 408/429/5xx. */
    REGISTRY_UNAVAILABLE(true),
    /** The registry refused the credentials (401/403). */
    REGISTRY_UNAUTHORIZED(true),
    /** The TLS handshake with the registry failed (certificate not trusted). */
    REGISTRY_TLS(true),
    /** No image bytes. */
    IMAGE_EMPTY,
    /** More encoded bytes than the service accepts. */
    IMAGE_TOO_LARGE,
    /** A media type other than image/jpeg or image/png. */
    UNSUPPORTED_MEDIA_TYPE,
    /** The bytes are not of the declared media type. */
    MEDIA_TYPE_MISMATCH,
    /** More pixels than the service decodes (the guard against decompression bombs). */
    IMAGE_TOO_MANY_PIXELS,
    /** A side shorter than the service accepts. */
    IMAGE_TOO_SMALL,
    /** The image does not decode. */
    IMAGE_UNDECODABLE,
    /** The image fails its own integrity check (e.g. a PNG chunk CRC): corrupt data gets no triage. */
    IMAGE_CORRUPT,
    /** A colour model outside the preprocessing contract. */
    IMAGE_UNSUPPORTED_COLOR,
    /** The modality is not dermoscopic: outside the model's validation, so not scored. */
    MODALITY_NOT_VALIDATED,
    /**
     * Processing the record failed (by exception or by Error, crashing the thread or the process) as many times as
     * the service retries one record: set aside so that its partition moves on.
     */
    REPEATED_FAILURE,
    /**
     * A control record (header lesion-triage-control) that names no rollout of the rollout history: a forged or
     * orphaned model-switch marker; it switches nothing.
     */
    UNKNOWN_CONTROL_RECORD;

    private final boolean transientFailure;

    ReasonCode() {
        this(false);
    }

    ReasonCode(boolean transientFailure) {
        this.transientFailure = transientFailure;
    }

    /** True when the failure lies outside the record and a retry of the same bytes later may succeed. */
    public boolean isTransient() {
        return transientFailure;
    }
}
