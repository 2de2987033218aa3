package io.photopipe.producer;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.photopipe.core.MessageAttributes;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.eventnotifications.s3.model.S3EventNotification;
import software.amazon.awssdk.eventnotifications.s3.model.S3EventNotificationRecord;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * A message in the DLQ with what the worker recorded about its failure.
 *
 * @param messageId     SQS message id in the DLQ
 * @param reasonCode    the worker's {@link MessageAttributes#REASON_CODE}, or {@value #NO_REASON} when the message
 *                      has none (moved by the queue's redrive policy after maxReceiveCount receives, e.g. after
 *                      timeouts or crashes)
 * @param reason        the worker's human-readable reason, or an explanation
 * @param object        "bucket/key" from the attribute, else from the body
 * @param receiveCount  ApproximateReceiveCount (includes receives in the source queue and our peeks)
 * @param sentAt        when the message was first sent
 * @param attributes    every message attribute with a string value
 * @param body          the message body
 */
public record DlqMessage(String messageId, String reasonCode, String reason, String object, long receiveCount,
                         Instant sentAt, Map<String, String> attributes, String body,
                         @JsonIgnore String receiptHandle, @JsonIgnore Map<String, MessageAttributeValue> rawAttributes) {
    /** The group of messages without a worker reason. */
    public static final String NO_REASON = "(none)";

    /** Reads a received message. */
    public static DlqMessage of(Message m) {
        Map<String, String> attrs = new TreeMap<>();
        m.messageAttributes().forEach((k, v) -> {
            if (v.stringValue() != null) {
                attrs.put(k, v.stringValue());
            }
        });
        String code = attrs.get(MessageAttributes.REASON_CODE);
        String reason = attrs.get(MessageAttributes.REASON);
        if (code == null) {
            code = NO_REASON;
            reason = reason != null ? reason : "no photopipe-reason attribute: moved by the queue's redrive policy "
                    + "after maxReceiveCount receives (timeouts, crashes), or sent by another producer";
        }
        String object = attrs.get(MessageAttributes.OBJECT);
        if (object == null) {
            object = objectFromBody(m.body());
        }
        String count = m.attributes().get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT);
        String sent = m.attributes().get(MessageSystemAttributeName.SENT_TIMESTAMP);
        return new DlqMessage(m.messageId(), code, reason, object, count == null ? 0 : Long.parseLong(count),
                sent == null ? null : Instant.ofEpochMilli(Long.parseLong(sent)), attrs, m.body(), m.receiptHandle(),
                new LinkedHashMap<>(m.messageAttributes()));
    }

    private static String objectFromBody(String body) {
        try {
            S3EventNotification n = S3EventNotification.fromJson(body);
            if (n.getRecords() == null || n.getRecords().isEmpty()) {
                return null;
            }
            S3EventNotificationRecord r = n.getRecords().getFirst();
            return r.getS3().getBucket().getName() + "/" + r.getS3().getObject().getUrlDecodedKey();
        } catch (RuntimeException e) {
            return null; // not an S3 notification
        }
    }
}
