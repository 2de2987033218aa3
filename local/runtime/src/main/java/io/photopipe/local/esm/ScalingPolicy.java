package io.photopipe.local.esm;

import java.time.Duration;

/**
 * How the event source mapping scales its concurrent pollers (each polls, batches and invokes one batch at a time).
 * AWS: "When messages are available, Lambda starts processing five batches at a time with five concurrent
 * invocations of your function. If messages are still available, Lambda increases the number of processes that are
 * reading batches by up to 300 more instances per minute", up to 1,000 or {@code MaximumConcurrency}; see
 * <a href="https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-scaling.html">Scaling for SQS event sources</a>.
 *
 * @param initial       pollers at start (AWS: 5)
 * @param step          pollers added per interval while there is a backlog (AWS: 300)
 * @param interval      the scaling interval (AWS: one minute)
 * @param idleScaleDown a poller beyond {@code initial} that found no message for this long stops
 */
public record ScalingPolicy(int initial, int step, Duration interval, Duration idleScaleDown) {

    public ScalingPolicy {
        if (initial < 1) {
            throw new IllegalArgumentException("scaling.initial: " + initial + " must be at least 1");
        }
        if (step < 1) {
            throw new IllegalArgumentException("scaling.step: " + step + " must be at least 1");
        }
        if (interval == null || interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("scaling.interval: " + interval + " must be positive");
        }
        if (idleScaleDown == null || idleScaleDown.isNegative() || idleScaleDown.isZero()) {
            throw new IllegalArgumentException("scaling.idleScaleDown: " + idleScaleDown + " must be positive");
        }
    }

    /** AWS's ramp: 5 at start, up to 300 more per minute, idle pollers stop after a minute. */
    public static ScalingPolicy aws() {
        return new ScalingPolicy(5, 300, Duration.ofMinutes(1), Duration.ofMinutes(1));
    }
}
