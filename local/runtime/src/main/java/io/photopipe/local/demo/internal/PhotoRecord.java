package io.photopipe.local.demo.internal;

import io.photopipe.core.PhotoStatus;
import java.nio.file.Path;
import java.time.Instant;

/**
 * One uploaded file and what became of it.
 *
 * @param key        its key in the bucket
 * @param source     the local file
 * @param expectBad  a deliberately broken file (it may fail)
 * @param uploadedAt when S3 acknowledged the upload
 * @param status     the worker's final status (null while pending)
 * @param dlqReason  the reason attribute of its DLQ message, when it failed
 */
public record PhotoRecord(String key, Path source, boolean expectBad, long bytes, Instant uploadedAt,
                          PhotoStatus status, String dlqReason) {

    public PhotoRecord withStatus(PhotoStatus s) {
        return new PhotoRecord(key, source, expectBad, bytes, uploadedAt, s, dlqReason);
    }

    public PhotoRecord withDlqReason(String reason) {
        return new PhotoRecord(key, source, expectBad, bytes, uploadedAt, status, reason);
    }

    public boolean ready() {
        return status != null && status.state() == PhotoStatus.State.READY;
    }

    public boolean failed() {
        return status != null && status.state() == PhotoStatus.State.FAILED;
    }
}
