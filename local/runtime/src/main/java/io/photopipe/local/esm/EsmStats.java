package io.photopipe.local.esm;

/**
 * A snapshot of an event source mapping's counters.
 *
 * @param pollers           pollers running now (each holds at most one invocation)
 * @param maxPollers        the most pollers at once so far
 * @param inFlight          invocations running now
 * @param maxInFlight       the most invocations at once so far
 * @param batches           batches invoked
 * @param received          messages received from the queue (a redelivery counts again)
 * @param deleted           messages deleted after success (or filtered out)
 * @param returned          messages left to come back after the visibility timeout (failed or in a failed batch)
 * @param filtered          messages that matched no filter pattern (deleted without an invocation)
 * @param invokeErrors      invocations that ended with a function error (incl. timeouts and crashes)
 * @param payloadCapSplits  batches closed early because the next message would pass the 6 MB invoke payload cap
 * @param deleteFailures    DeleteMessageBatch entries that still failed after retries
 */
public record EsmStats(int pollers, int maxPollers, int inFlight, int maxInFlight, long batches, long received,
                       long deleted, long returned, long filtered, long invokeErrors, long payloadCapSplits,
                       long deleteFailures) {
}
