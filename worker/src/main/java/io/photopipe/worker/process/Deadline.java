package io.photopipe.worker.process;

import java.time.Duration;

/**
 * When the current invocation must have answered (Lambda's {@code getRemainingTimeInMillis()} turned into a point
 * on the monotonic clock), so work stops starting in time.
 */
public final class Deadline {
    private final long atNanos;

    private Deadline(long atNanos) {
        this.atNanos = atNanos;
    }

    /** A deadline {@code remaining} from now. */
    public static Deadline in(Duration remaining) {
        return new Deadline(System.nanoTime() + remaining.toNanos());
    }

    /** Practically no deadline (for tools and tests that are not in Lambda). */
    public static Deadline none() {
        return in(Duration.ofDays(365));
    }

    /** Time left, negative once passed. */
    public Duration remaining() {
        return Duration.ofNanos(atNanos - System.nanoTime());
    }

    /** Whether less than {@code margin} is left. */
    public boolean within(Duration margin) {
        return remaining().compareTo(margin) < 0;
    }
}
