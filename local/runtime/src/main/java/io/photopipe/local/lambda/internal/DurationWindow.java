package io.photopipe.local.lambda.internal;

import io.photopipe.local.lambda.LambdaStats.Percentiles;
import java.time.Duration;
import java.util.Arrays;

/** The last {@value #SIZE} durations, for percentiles; thread-safe. */
public final class DurationWindow {
    private static final int SIZE = 4096;
    private final long[] nanos = new long[SIZE];
    private long count;

    public synchronized void add(Duration d) {
        nanos[(int) (count++ % SIZE)] = d.toNanos();
    }

    public synchronized Percentiles snapshot() {
        if (count == 0) {
            return Percentiles.EMPTY;
        }
        long[] s = Arrays.copyOf(nanos, (int) Math.min(count, SIZE));
        Arrays.sort(s);
        return new Percentiles(count, at(s, 0.50), at(s, 0.90), at(s, 0.99), Duration.ofNanos(s[s.length - 1]));
    }

    private static Duration at(long[] sorted, double q) {
        int i = (int) Math.ceil(q * sorted.length) - 1;
        return Duration.ofNanos(sorted[Math.max(0, Math.min(sorted.length - 1, i))]);
    }
}
