package io.photopipe.core;

/**
 * Names of the SQS message attributes photopipe sets. The worker puts the reason on every message it moves to the
 * DLQ (the producer's {@code dlq} command groups by it); the producer marks re-process messages.
 */
public final class MessageAttributes {
    /** A stable, machine-readable failure code, e.g. {@code too-many-pixels}. */
    public static final String REASON_CODE = "photopipe-reason-code";
    /** A human-readable explanation of why the message went to the DLQ. */
    public static final String REASON = "photopipe-reason";
    /** Bucket and key the failed message was about ("bucket/key"). */
    public static final String OBJECT = "photopipe-object";
    /** Message id of the original message, before the DLQ copy. */
    public static final String ORIGINAL_MESSAGE_ID = "photopipe-original-message-id";
    /** When the worker gave up, ISO-8601. */
    public static final String FAILED_AT = "photopipe-failed-at";
    /** "true" asks the worker to rebuild renditions even if they exist for the same source ETag and presets. */
    public static final String FORCE = "photopipe-force";

    private MessageAttributes() {
    }
}
