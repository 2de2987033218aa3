package io.photopipe.worker.process;

import java.time.Duration;
import java.time.Instant;

/**
 * When the current invocation must have answered (Lambda's {@code getRemainingTimeInMillis()} turned into a point
 * on the monotonic clock), so work stops starting in time.
 */
public final class Deadline {
    private final long atNanos;
    private final Instant at;

    private Deadline(long atNanos, Instant at) {
        this.atNanos = atNanos;
        this.at = at;
    }

    /** A deadline {@code remaining} from now. */
    public static Deadline in(Duration remaining) {
        return new Deadline(System.nanoTime() + remaining.toNanos(), Instant.now().plus(remaining));
    }

    /** The deadline on the wall clock (for records other processes read). */
    public Instant at() {
        return at;
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
