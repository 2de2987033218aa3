package io.photopipe.api;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** What the API needs from object storage: small documents, existence checks and presigned URLs. */
public interface ObjectStore {

    /** The object's text, or empty when there is no such object. */
    Optional<String> readText(String bucket, String key);

    /** The object's ETag without quotes, or empty when there is no such object. */
    Optional<String> eTag(String bucket, String key);

    /**
     * Writes a small text object unless one exists at that key (a conditional write, {@code If-None-Match: *}).
     *
     * @return false when an object was already there (nothing was written)
     */
    boolean createText(String bucket, String key, String contentType, String text);

    /**
     * A presigned PUT that S3 accepts only with exactly this content type and length (both are signed).
     *
     * @return the URL, the headers the client must send with it, and when it expires
     */
    PresignedUpload presignPut(String bucket, String key, String contentType, long contentLength, Duration expiry);

    /** A presigned GET of the object. */
    URI presignGet(String bucket, String key, Duration expiry);

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
