package io.photopipe.worker.ports;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The object storage the worker reads photos from and writes renditions to (S3 in production). Every method throws
 * {@link PortException} when the store keeps failing; "not found" is a value, not an exception.
 */
public interface ObjectStore {

    /** What a GET found. */
    sealed interface Fetched {
    }

    /** The object, read whole. */
    record Found(byte[] bytes, String eTag, String contentType) implements Fetched {
    }

    /** No such key. */
    record Missing() implements Fetched {
    }

    /** The object exists but its ETag is no longer the one asked for ({@code If-Match} failed). */
    record ETagChanged() implements Fetched {
    }

    /** The object is larger than the limit given; nothing was downloaded. */
    record TooLarge(long size) implements Fetched {
    }

    /**
     * Reads an object whole.
     *
     * @param ifMatch  when non-null, only read it if its ETag is still this one (a conditional GET)
     * @param maxBytes objects larger than this are not downloaded ({@link TooLarge})
     */
    Fetched get(String bucket, String key, String ifMatch, long maxBytes);

    /** A small text object (a status document), or empty when there is none. */
    Optional<String> getText(String bucket, String key);

    /** A small text object and its ETag (unquoted), for a later {@link #putIfUnchanged}. */
    record Versioned(String text, String eTag) {
    }

    /** A small text object with its ETag, or empty when there is none. */
    Optional<Versioned> getVersioned(String bucket, String key);

    /**
     * Writes a small document only if it is still as it was read: a conditional PUT ({@code If-Match} its ETag, or
     * {@code If-None-Match: *} when {@code expectedETag} is null and it did not exist), so two writers of one
     * document cannot lose each other's change
     * (<a href="https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes.html">conditional writes</a>).
     *
     * @return the new ETag, or empty when the document changed meanwhile (read it again and retry)
     */
    Optional<String> putIfUnchanged(String bucket, String key, byte[] bytes, String contentType, String expectedETag);

    /** Whether an object exists. */
    boolean exists(String bucket, String key);

    /**
     * Writes an object.
     *
     * @param metadata user metadata, sent as {@code x-amz-meta-*}; keys lowercase
     */
    void put(String bucket, String key, byte[] bytes, String contentType, String cacheControl,
             Map<String, String> metadata);

    /** User metadata of an object (lowercase keys), or empty when it does not exist. */
    Optional<Map<String, String>> metadata(String bucket, String key);

    /** All keys under a prefix. */
    List<String> list(String bucket, String prefix);

    /** Deletes keys (missing ones are fine). */
    void delete(String bucket, List<String> keys);
}
