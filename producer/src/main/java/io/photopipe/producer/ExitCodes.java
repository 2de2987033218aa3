package io.photopipe.producer;

/**
 * The producer's exit codes, the same for every command, so scripts can branch on them.
 */
public final class ExitCodes {
    /** Everything asked for was done. */
    public static final int OK = 0;
    /** The run finished but some items failed (objects not enqueued, uploads failed, messages not moved); the
     * summary lists them. */
    public static final int PARTIAL = 1;
    /** Bad flags or settings (picocli's usage code); nothing was done. */
    public static final int USAGE = 2;
    /** AWS refused or could not be reached (missing queue or bucket, access denied, no region): fix and re-run. */
    public static final int AWS = 3;
    /** {@code status --wait-empty} timed out before the queue drained. */
    public static final int TIMEOUT = 4;
    /** Stopped by Ctrl-C (or SIGTERM) after saving progress: {@code backfill --resume} continues (128 + SIGINT). */
    public static final int INTERRUPTED = 130;

    private ExitCodes() {
    }
}
