package io.photopipe.api;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What the API needs from object storage: small documents, existence checks and presigned URLs. */
public interface ObjectStore {

    /** The object's text, or empty when there is no such object. */
    Optional<String> readText(String bucket, String key);

    /** The object's ETag without quotes, or empty when there is no such object. */
    default Optional<String> eTag(String bucket, String key) {
        return head(bucket, key).map(Head::eTag);
    }

    /** The object's ETag and user metadata (a HEAD), or empty when there is no such object. */
    Optional<Head> head(String bucket, String key);

    /**
     * Keys under {@code prefix} that sort after {@code startAfter}, in order, at most {@code max} (one listing
     * page, so {@code max} is at most 1000).
     */
    List<String> listKeys(String bucket, String prefix, String startAfter, int max);

    /**
     * Writes a small text object unless one exists at that key (a conditional write, {@code If-None-Match: *}).
     *
     * @return false when an object was already there (nothing was written)
     */
    default boolean createText(String bucket, String key, String contentType, String text) {
        return createText(bucket, key, contentType, text, Map.of());
    }

    /** Like {@link #createText(String, String, String, String)}, with object tags (for lifecycle rules). */
    boolean createText(String bucket, String key, String contentType, String text, Map<String, String> tags);

    /**
     * A presigned PUT that S3 accepts only with exactly this content type, length and user metadata (all signed),
     * and only once: {@code If-None-Match: *} is signed too, so S3 refuses a second PUT to the key (replayed or not)
     * with 412 PreconditionFailed instead of replacing the photo and notifying the worker again.
     *
     * @param metadata user metadata ({@code x-amz-meta-<name>}), names in lower case, values printable ASCII
     * @return the URL, the headers the client must send with it, and when it expires
     */
    PresignedUpload presignPut(String bucket, String key, String contentType, long contentLength,
                               Map<String, String> metadata, Duration expiry);

    /** A presigned GET of the object. */
    URI presignGet(String bucket, String key, Duration expiry);

    /**
     * What a HEAD tells.
     *
     * @param eTag        the ETag without quotes
     * @param contentType the object's content type
     * @param size        its size in bytes
     * @param metadata    user metadata by lower-case name without the {@code x-amz-meta-} prefix
     */
    record Head(String eTag, String contentType, long size, Map<String, String> metadata) {
        public Head {
            metadata = Map.copyOf(metadata);
        }
    }

    /**
     * A presigned upload.
     *
     * @param url       where to send it
     * @param headers   headers the client must send (signed); Content-Length is not among them because every HTTP
     *                  client sets it from the body (browsers refuse to let scripts set it), but it is signed too
     * @param expiresAt when S3 stops accepting it
     */
    record PresignedUpload(URI url, Map<String, String> headers, Instant expiresAt) {
        public PresignedUpload {
            headers = Map.copyOf(headers);
        }
    }
}
