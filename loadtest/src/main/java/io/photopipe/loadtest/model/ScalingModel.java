package io.photopipe.loadtest.model;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A model of how Lambda's SQS event source mapping drains a backlog of a standard queue, from AWS's documented
 * behaviour and a measured per-photo processing time.
 *
 * <p>From <a href="https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-scaling.html">Configuring scaling
 * behavior for SQS event source mappings</a>: "When messages are available, Lambda starts processing five batches at
 * a time with five concurrent invocations of your function. If messages are still available, Lambda increases the
 * number of processes that are reading batches by up to 300 more instances per minute. The maximum number of batches
 * that an event source mapping can process simultaneously is 1,000." The ceilings are the mapping's
 * {@code MaximumConcurrency} (2 to 1,000, <a href="https://docs.aws.amazon.com/lambda/latest/api/API_ScalingConfig.html">ScalingConfig</a>)
 * and the account's concurrency in the region (1,000 by default,
 * <a href="https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html">Lambda quotas</a>), shared
 * with every other function.
 *
 * <p>The model: the mapping's concurrency is {@code c(t) = min(ceiling, initial + step * floor(t / interval))}; an
 * environment added at a step serves after a cold start of {@code coldStartSeconds}; each serving environment
 * completes {@code 1 / secondsPerPhoto} photos per second (the measured invoke time per photo, batches being full
 * while there is a backlog). It leaves out what it cannot know from here: throttling by downstream services (S3
 * request rates per prefix), and the SQS round trips between batches.
 *
 * @param initial          concurrent batches at the start (AWS: 5)
 * @param step             added per interval while messages remain (AWS: up to 300)
 * @param interval         the ramp's interval (AWS: one minute)
 * @param ceiling          min(MaximumConcurrency, account concurrency available, 1,000)
 * @param secondsPerPhoto  invoke time per photo in one environment, seconds
 * @param coldStartSeconds time from an environment's start to its first photo (its Init phase)
 */
public record ScalingModel(int initial, int step, Duration interval, int ceiling, double secondsPerPhoto,
                           double coldStartSeconds) {

    /** AWS's documented start. */
    public static final int AWS_INITIAL = 5;
    /** AWS's documented ramp per minute. */
    public static final int AWS_STEP = 300;
    /** The most batches one mapping processes at once. */
    public static final int AWS_MAPPING_MAX = 1000;
    /** The default account concurrency per region. */
    public static final int AWS_ACCOUNT_DEFAULT = 1000;

    public ScalingModel {
        if (initial < 1 || step < 0 || ceiling < 1) {
            throw new IllegalArgumentException("initial " + initial + ", step " + step + ", ceiling " + ceiling
                    + ": initial and ceiling must be at least 1, step at least 0");
        }
        if (interval == null || interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("interval " + interval + " must be positive");
        }
        if (!(secondsPerPhoto > 0) || !Double.isFinite(secondsPerPhoto)) {
            throw new IllegalArgumentException("secondsPerPhoto " + secondsPerPhoto + " must be positive");
        }
        if (!(coldStartSeconds >= 0) || !Double.isFinite(coldStartSeconds)) {
            throw new IllegalArgumentException("coldStartSeconds " + coldStartSeconds + " must be 0 or more");
        }
    }

    /** AWS's ramp for a mapping with this {@code MaximumConcurrency} in an account with this much concurrency. */
    public static ScalingModel aws(int maximumConcurrency, int accountConcurrency, double secondsPerPhoto,
                                   double coldStartSeconds) {
        int ceiling = Math.min(Math.min(maximumConcurrency, accountConcurrency), AWS_MAPPING_MAX);
        return new ScalingModel(AWS_INITIAL, AWS_STEP, Duration.ofMinutes(1), ceiling, secondsPerPhoto,
                coldStartSeconds);
    }

    /** Concurrency (environments started) at {@code seconds} after the backlog appeared. */
    public int concurrencyAt(double seconds) {
        if (seconds < 0) {
            return 0;
        }
        long steps = (long) Math.floor(seconds / intervalSeconds());
        return (int) Math.min(ceiling, Math.min(initial, ceiling) + (double) step * steps);
    }

    /** Environments serving (started and past their cold start) at {@code seconds}. */
    public int servingAt(double seconds) {
        return concurrencyAt(seconds - coldStartSeconds);
    }

    private double intervalSeconds() {
        return interval.toNanos() / 1e9;
    }

    /**
     * A drain prediction.
     *
     * @param photos          the backlog
     * @param seconds         time to drain it
     * @param peakConcurrency concurrency reached
     * @param rampSeconds     when the last step of the ramp happened (the ceiling, or the drain ended first)
     */
    public record Drain(double photos, double seconds, int peakConcurrency, double rampSeconds) {
        /** Average photos per second. */
        public double photosPerSecond() {
            return seconds == 0 ? 0 : photos / seconds;
        }
    }

    /** How long a backlog of {@code photos} takes to drain: exact over the piecewise-constant serving count. */
    public Drain drain(double photos) {
        if (photos <= 0) {
            return new Drain(0, 0, 0, 0);
        }
        double t = 0;
        double done = 0;
        int serving = 0;
        double lastStep = 0;
        for (int j = 0; ; j++) {
            double stepAt = j * intervalSeconds();
            int target = concurrencyAt(stepAt);
            double servesAt = stepAt + coldStartSeconds;
            if (serving > 0) {
                double rate = serving / secondsPerPhoto;
                if (done + rate * (servesAt - t) >= photos) {
                    double end = t + (photos - done) / rate;
                    return new Drain(photos, end, concurrencyAt(end), Math.min(lastStep, end));
                }
                done += rate * (servesAt - t);
            }
            t = servesAt;
            boolean last = target >= ceiling || step == 0;
            if (target > serving) {
                lastStep = stepAt;
            }
            serving = target;
            if (last) {
                break;
            }
        }
        double end = t + (photos - done) / (serving / secondsPerPhoto);
        return new Drain(photos, end, concurrencyAt(end), lastStep);
    }

    /** The predicted photos done over time, one point per {@code every}, until the backlog is drained. */
    public List<double[]> curve(double photos, Duration every) {
        double dt = every.toNanos() / 1e9;
        List<double[]> points = new ArrayList<>();
        double done = 0;
        double t = 0;
        points.add(new double[] {0, 0, concurrencyAt(0)});
        while (done < photos && points.size() < 100_000) {
            done = Math.min(photos, done + servingAt(t) / secondsPerPhoto * dt);
            t += dt;
            points.add(new double[] {t, done, concurrencyAt(t)});
        }
        return points;
    }
}
