package io.photopipe.producer;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import java.time.Duration;

/** Rate limits in messages per second, as resilience4j {@link RateLimiter}s that wait rather than refuse. */
public final class Rates {
    private Rates() {
    }

    /**
     * A limiter granting {@code perSecond} permits a second. Permits come in refresh periods of at least 10 (a whole
     * batch), short periods for high rates (smooth) and long ones for rates under 10/s.
     */
    public static RateLimiter limiter(String name, double perSecond) {
        if (!(perSecond > 0)) {
            throw ProducerException.usage("--rate " + perSecond + " must be positive");
        }
        Duration period;
        int limit;
        if (perSecond >= 100) {
            period = Duration.ofMillis(100);
            limit = (int) Math.round(perSecond / 10);
        } else if (perSecond >= 10) {
            period = Duration.ofSeconds(1);
            limit = (int) Math.round(perSecond);
        } else {
            period = Duration.ofNanos(Math.round(10 / perSecond * 1e9));
            limit = 10;
        }
        return RateLimiter.of(name, RateLimiterConfig.custom().limitForPeriod(limit).limitRefreshPeriod(period)
                .timeoutDuration(Duration.ofDays(1)).build());
    }

    /** Waits until {@code permits} are granted. */
    public static void acquire(RateLimiter limiter, int permits) throws InterruptedException {
        if (!limiter.acquirePermission(permits)) {
            throw new InterruptedException("rate limiter refused " + permits + " permits");
        }
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
    }
}
