package io.photopipe.local.demo.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Nearest-rank percentiles of a list of durations. */
public record Percentiles(int count, Duration p50, Duration p90, Duration p99, Duration max) {

    public static Percentiles of(List<Duration> samples) {
        if (samples.isEmpty()) {
            return new Percentiles(0, Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO);
        }
        List<Duration> sorted = new ArrayList<>(samples);
        sorted.sort(null);
        return new Percentiles(sorted.size(), rank(sorted, 50), rank(sorted, 90), rank(sorted, 99), sorted.getLast());
    }

    private static Duration rank(List<Duration> sorted, int p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    @Override
    public String toString() {
        return String.format("p50 %s, p90 %s, p99 %s, max %s (n=%d)", s(p50), s(p90), s(p99), s(max), count);
    }

    static String s(Duration d) {
        return String.format("%.2f s", d.toMillis() / 1000.0);
    }
}
