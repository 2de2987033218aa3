package io.photopipe.producer;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * One message to send.
 *
 * @param id         the caller's identifier (an S3 key, a DLQ message id), reported back in failures
 * @param body       the message body
 * @param attributes message attributes (may be empty)
 */
public record OutgoingMessage(String id, String body, Map<String, MessageAttributeValue> attributes) {
    public OutgoingMessage {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(body, "body");
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    }

    /**
     * The size SQS counts against its payload limits: the body plus each attribute's name, data type and value
     * (<a href="https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-message-metadata.html">message
     * attribute sizes</a>).
     */
    public long payloadBytes() {
        long n = body.getBytes(StandardCharsets.UTF_8).length;
        for (var e : attributes.entrySet()) {
            MessageAttributeValue v = e.getValue();
            n += e.getKey().getBytes(StandardCharsets.UTF_8).length;
            n += v.dataType() == null ? 0 : v.dataType().getBytes(StandardCharsets.UTF_8).length;
            n += v.stringValue() != null ? v.stringValue().getBytes(StandardCharsets.UTF_8).length
                    : v.binaryValue() != null ? v.binaryValue().asByteArray().length : 0;
        }
        return n;
    }
}
