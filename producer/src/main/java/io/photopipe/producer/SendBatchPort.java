package io.photopipe.producer;

import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/**
 * The one SQS call the producer makes per batch, as a port: production passes the SDK client, a test can put its
 * own double in between (e.g. one that fails an entry once) while the rest still reaches a real server.
 */
@FunctionalInterface
public interface SendBatchPort {
    /** Sends up to 10 messages; may report some entries as failed. */
    SendMessageBatchResponse sendMessageBatch(SendMessageBatchRequest request);

    /** The SDK client as a port. */
    static SendBatchPort of(SqsClient sqs) {
        return sqs::sendMessageBatch;
    }
}
