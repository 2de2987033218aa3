package io.photopipe.producer;

import java.util.Iterator;

/**
 * Where a backfill's objects come from, in a stable order, so a run can resume after a cursor.
 */
public interface KeySource {
    /**
     * Objects after the given cursor (all objects when null), in cursor order. The iterator may throw
     * {@link ProducerException} or SDK exceptions when the source cannot be read.
     */
    Iterator<ObjectRef> open(String afterCursor);

    /** What this source reads, e.g. {@code s3://bucket/prefix}; recorded in checkpoints so a resume reads the same. */
    String describe();

    /**
     * Orders two cursors of this source. Cursors are compared as UTF-8 bytes, the order S3 lists keys in; sources
     * whose cursors are not keys make them sort that way too.
     */
    static int compareCursors(String a, String b) {
        return java.util.Arrays.compareUnsigned(a.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                b.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
