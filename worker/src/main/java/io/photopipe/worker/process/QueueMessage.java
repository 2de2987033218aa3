package io.photopipe.worker.process;

import java.util.Map;
import java.util.Objects;

/**
 * One SQS message as the worker needs it, independent of Lambda's event classes.
 *
 * @param messageId         the SQS message id (what {@code batchItemFailures} names)
 * @param receiptHandle     this delivery's receipt handle (for visibility changes)
 * @param body              the body
 * @param receiveCount      {@code ApproximateReceiveCount}: 1 on first delivery
 * @param eventSourceArn    the queue's ARN
 * @param messageAttributes String and Number message attributes by name (binary ones are not kept)
 */
public record QueueMessage(String messageId, String receiptHandle, String body, int receiveCount,
                           String eventSourceArn, Map<String, String> messageAttributes) {
    public QueueMessage {
        Objects.requireNonNull(messageId, "messageId");
        messageAttributes = messageAttributes == null ? Map.of() : Map.copyOf(messageAttributes);
        receiveCount = Math.max(1, receiveCount);
    }
}
