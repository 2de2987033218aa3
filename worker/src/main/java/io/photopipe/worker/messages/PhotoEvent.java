package io.photopipe.worker.messages;

import java.util.Objects;

/**
 * One thing that happened to one object, whatever shape of message brought it (S3 notification, SNS envelope,
 * EventBridge event or a producer re-process message).
 *
 * @param kind      created (make renditions) or removed (delete them)
 * @param bucket    the bucket
 * @param key       the object key, decoded (S3 notifications carry it form-URL-encoded)
 * @param eTag      the ETag the event was about, unquoted; null when the message does not say
 * @param size      the object size the event reported; null when unknown
 * @param eventName the event name as sent, e.g. {@code ObjectCreated:Put} or {@code Object Created}
 * @param force     rebuild even if renditions exist for this ETag and presets ({@code photopipe-force} attribute)
 */
public record PhotoEvent(Kind kind, String bucket, String key, String eTag, Long size, String eventName,
                         boolean force) {

    /** What happened to the object. */
    public enum Kind { CREATED, REMOVED }

    public PhotoEvent {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(key, "key");
        eTag = eTag == null || eTag.isBlank() ? null : stripQuotes(eTag);
    }

    /** "bucket/key", the form used in logs and in the DLQ's {@code photopipe-object} attribute. */
    public String object() {
        return bucket + "/" + key;
    }

    private static String stripQuotes(String eTag) {
        return eTag.length() >= 2 && eTag.startsWith("\"") && eTag.endsWith("\"")
                ? eTag.substring(1, eTag.length() - 1) : eTag;
    }
}
