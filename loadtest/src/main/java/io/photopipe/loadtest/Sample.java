package io.photopipe.loadtest;

/**
 * The stack's metrics at one instant of a run. Figures a target cannot see are -1 (a deployed stack's Lambda figures
 * live in CloudWatch, not here).
 *
 * @param atMillis       milliseconds since the run started
 * @param queued         upload queue: visible messages
 * @param inFlight       upload queue: received, not deleted
 * @param dlq            dead-letter queue depth
 * @param oldestAgeMs    age of the oldest message received and not yet deleted
 * @param environments   worker execution environments alive
 * @param busy           of which running an invocation
 * @param pollers        event source mapping pollers (its concurrency)
 * @param invocations    worker invocations so far
 * @param coldStarts     environments created so far
 * @param batches        batches delivered so far
 * @param completed      messages completed (deleted after success) so far
 * @param invokeP50Ms    recent invoke duration, median
 * @param invokeP99Ms    recent invoke duration, 99th percentile
 * @param initP50Ms      init duration of cold starts, median
 */
public record Sample(long atMillis, long queued, long inFlight, long dlq, long oldestAgeMs, int environments,
                     int busy, int pollers, long invocations, long coldStarts, long batches, long completed,
                     long invokeP50Ms, long invokeP99Ms, long initP50Ms) {

    /**
     * This sample relative to {@code base} (taken when the run started): counters and the DLQ depth count from
     * there, so a run on a stack that served earlier runs shows only its own figures.
     */
    public Sample since(Sample base) {
        return new Sample(atMillis, queued, inFlight, delta(dlq, base.dlq), oldestAgeMs, environments, busy, pollers,
                delta(invocations, base.invocations), delta(coldStarts, base.coldStarts),
                delta(batches, base.batches), delta(completed, base.completed), invokeP50Ms, invokeP99Ms, initP50Ms);
    }

    private static long delta(long now, long base) {
        return now < 0 || base < 0 ? now : Math.max(0, now - base);
    }
}
