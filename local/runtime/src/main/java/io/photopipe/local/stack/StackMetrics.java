package io.photopipe.local.stack;

import java.time.Duration;

/**
 * A snapshot of the local stack's own metrics, the ones CloudWatch shows for the real pipeline.
 *
 * @param queued               upload queue: visible messages ({@code ApproximateNumberOfMessages})
 * @param inFlight             upload queue: received, not yet deleted ({@code ApproximateNumberOfMessagesNotVisible})
 * @param dlq                  dead-letter queue depth
 * @param oldestAge            age of the oldest message received and not yet deleted (see
 *                             {@link io.photopipe.local.stack.internal.QueueAgeTracker})
 * @param environments         live execution environments of the worker
 * @param busy                 of which running an invocation now
 * @param maxEnvironments      the most environments alive at once so far
 * @param invocations          worker invocations finished
 * @param errors               of which failed (function error, timeout, crash)
 * @param coldStarts           environments created
 * @param batches              batches the event source mapping invoked
 * @param notificationsPending S3 notifications waiting in the outbox for SQS
 * @param notificationsSent    S3 notifications delivered to SQS
 * @param sqsUp                false during an SQS outage ({@link LocalStack#stopSqs()}): the queue figures are then
 *                             -1, unknown
 * @param outOfMemory          worker environments killed for exceeding the function's memory
 */
public record StackMetrics(long queued, long inFlight, long dlq, Duration oldestAge, int environments, int busy,
                           int maxEnvironments, long invocations, long errors, long coldStarts, long batches,
                           int notificationsPending, long notificationsSent, boolean sqsUp, long outOfMemory) {

    /** Whether nothing is waiting or running: SQS up, queue and outbox empty, no invocation in flight. */
    public boolean idle() {
        return sqsUp && queued == 0 && inFlight == 0 && notificationsPending == 0 && busy == 0;
    }

    /** One line for a terminal. */
    public String line() {
        String queue = sqsUp ? String.format("queue %d | in flight %d | DLQ %d", queued, inFlight, dlq)
                : "SQS DOWN (outage)";
        return String.format("%s | oldest %s | envs %d (busy %d, max %d) | invocations %d | errors %d%s | "
                        + "cold starts %d | outbox %d", queue, seconds(oldestAge), environments, busy, maxEnvironments,
                invocations, errors, outOfMemory == 0 ? "" : " (" + outOfMemory + " out of memory)", coldStarts,
                notificationsPending);
    }

    private static String seconds(Duration d) {
        return String.format("%.1fs", d.toMillis() / 1000.0);
    }
}
