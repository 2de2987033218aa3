package io.photopipe.producer;

import java.util.Arrays;
import java.util.Collection;

/**
 * Percentiles of a set of latencies, nearest-rank.
 *
 * @param count  samples
 * @param p50Ms  median, ms
 * @param p90Ms  90th percentile, ms
 * @param p99Ms  99th percentile, ms
 * @param maxMs  slowest, ms
 * @param meanMs mean, ms
 */
public record Latencies(int count, double p50Ms, double p90Ms, double p99Ms, double maxMs, double meanMs) {
    /** Percentiles of the given durations in nanoseconds. */
    public static Latencies ofNanos(Collection<Long> nanos) {
        long[] v = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
        if (v.length == 0) {
            return new Latencies(0, 0, 0, 0, 0, 0);
        }
        return new Latencies(v.length, ms(rank(v, 50)), ms(rank(v, 90)), ms(rank(v, 99)), ms(v[v.length - 1]),
                ms(Arrays.stream(v).sum() / v.length));
    }

    private static long rank(long[] sorted, double p) {
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.clamp(i, 0, sorted.length - 1)];
    }

    private static double ms(long nanos) {
        return Math.round(nanos / 1e4) / 100.0;
    }
}
