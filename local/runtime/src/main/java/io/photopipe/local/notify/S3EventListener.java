package io.photopipe.local.notify;

/** Receives one event per object created or removed in the embedded S3 (after the operation succeeded). */
@FunctionalInterface
public interface S3EventListener {

    /**
     * @param bucket    the bucket
     * @param eventName without the {@code s3:} prefix, one of {@link S3EventNames}
     * @param key       the object key, not encoded
     * @param size      bytes; null for removals
     * @param eTag      unquoted; null for removals
     * @param versionId null unless the bucket is versioned
     */
    void objectEvent(String bucket, String eventName, String key, Long size, String eTag, String versionId);
}
