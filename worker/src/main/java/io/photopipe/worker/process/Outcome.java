package io.photopipe.worker.process;

/**
 * How one photo event, and so one message, ended. Every message ends as exactly one of these:
 * <ul>
 *   <li>{@link Done}: renditions written (or, for a removal, deleted); acknowledged;</li>
 *   <li>{@link Skipped}: nothing to do (up to date, source gone, not an input, test event); acknowledged;</li>
 *   <li>{@link Retry}: a transient failure or the deadline; reported in {@code batchItemFailures};</li>
 *   <li>{@link Rejected}: can never succeed (bad photo, malformed message); moved to the DLQ with the reason, then
 *       acknowledged.</li>
 * </ul>
 * {@link #code()} is a stable, low-cardinality reason code (used as a metric tag); {@link #reason()} is for people.
 */
public sealed interface Outcome permits Outcome.Done, Outcome.Skipped, Outcome.Retry, Outcome.Rejected {

    /** A stable reason code, e.g. {@code rendered}, {@code up-to-date}, {@code s3-unavailable}, {@code truncated}. */
    String code();

    /** A readable explanation. */
    String reason();

    /** What was done on the way (zero for most non-done outcomes). */
    default Work work() {
        return Work.NONE;
    }

    /** The outcome's name in logs and metric tags: done, skipped, retried, rejected. */
    String label();

    /**
     * How severe an outcome is when several photos of one message end differently: one retry makes the whole
     * message a retry; otherwise one rejection sends it to the DLQ.
     */
    default int severity() {
        return switch (this) {
            case Skipped s -> 0;
            case Done d -> 1;
            case Rejected r -> 2;
            case Retry r -> 3;
        };
    }

    /** Work was done. */
    record Done(String code, String reason, Work work) implements Outcome {
        public String label() {
            return "done";
        }
    }

    /** Nothing needed doing. */
    record Skipped(String code, String reason) implements Outcome {
        public String label() {
            return "skipped";
        }
    }

    /**
     * Try again later.
     *
     * @param backoff true for failures (the message comes back after a backoff growing with its receive count);
     *                false when the work simply was not done in time (it comes back at once)
     */
    record Retry(String code, String reason, boolean backoff) implements Outcome {
        public String label() {
            return "retried";
        }
    }

    /** Can never succeed: to the DLQ. */
    record Rejected(String code, String reason, Work work) implements Outcome {
        public Rejected(String code, String reason) {
            this(code, reason, Work.NONE);
        }

        public String label() {
            return "rejected";
        }
    }
}
