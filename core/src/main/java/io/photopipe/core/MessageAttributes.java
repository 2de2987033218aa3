package io.photopipe.core;

/**
 * Names of the SQS message attributes photopipe sets. The worker puts the reason on every message it moves to the
 * DLQ (the producer's {@code dlq} command groups by it); the producer marks re-process messages.
 *
 * <p>A DLQ message without {@link #REASON_CODE} was moved by the queue's redrive policy, not by the worker: its
 * environment died on its last delivery. Its message id is then the original one, and the photo's
 * {@link AttemptRecord} names what happened ({@link AttemptRecord#reasonFor}). Copies of one original message (a
 * worker copy whose acknowledgement was lost, then the queue's) share {@link #ORIGINAL_MESSAGE_ID}, or for the
 * queue's own copy the message id itself: count duplicates by that.
 */
public final class MessageAttributes {
    /**
     * A stable, machine-readable failure code, e.g. {@code too-many-pixels} or {@code retries-exhausted:s3-unavailable}
     * (grammar and codes: {@link ReasonCodes}).
     */
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
