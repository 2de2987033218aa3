package io.photopipe.local.esm;

import io.photopipe.local.lambda.Invoker;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Lambda's SQS event source mapping: pollers that receive from the queue, batch, invoke the function synchronously,
 * delete what succeeded and leave the rest to come back after the visibility timeout (and to the DLQ after
 * maxReceiveCount, which the queue does, as in AWS).
 */
public final class EventSourceMapping implements AutoCloseable {

    private EventSourceMapping() {
    }

    /** Starts polling now. */
    public static EventSourceMapping start(SqsClient sqs, Invoker invoker, EsmConfig config) {
        throw new UnsupportedOperationException("in progress");
    }

    /** A snapshot of the counters. */
    public EsmStats stats() {
        throw new UnsupportedOperationException("in progress");
    }

    /** Stops polling; running invocations finish and their batches are completed. */
    @Override
    public void close() {
    }
}
