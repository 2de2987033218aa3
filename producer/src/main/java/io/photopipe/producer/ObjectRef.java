package io.photopipe.producer;

import java.time.Instant;
import java.util.Objects;

/**
 * One object of a library to re-process, as a listing or an inventory row describes it.
 *
 * @param bucket       the bucket
 * @param key          the key, decoded
 * @param size         bytes
 * @param eTag         without quotes; may be null (an inventory without the ETag field)
 * @param lastModified may be null (an inventory without the field)
 * @param cursor       where this object is in its source; sources order cursors so that resuming after a cursor
 *                     continues with the next object
 */
public record ObjectRef(String bucket, String key, long size, String eTag, Instant lastModified, String cursor) {
    public ObjectRef {
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(cursor, "cursor");
    }
}
