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
 * @param reasonCode    the worker's {@link MessageAttributes#REASON_CODE}; for a message without one (moved by
 *                      the queue's redrive policy after maxReceiveCount receives: its environment died) what the
 *                      photo's status document or attempt record says ({@link DlqReasons}); else {@value #NO_REASON}
 * @param reason        the worker's human-readable reason, or an explanation
 * @param object        "bucket/key" from the attribute, else from the body
 * @param receiveCount  ApproximateReceiveCount (includes receives in the source queue and our peeks)
 * @param sentAt        when the message was first sent
 * @param attributes    every message attribute with a string value
 * @param body          the message body
 * @param reasonSource  where the reason comes from: {@value #FROM_ATTRIBUTES}, {@value #FROM_STATUS},
 *                      {@value #FROM_ATTEMPTS}, or {@value #NO_REASON}
 */
public record DlqMessage(String messageId, String reasonCode, String reason, String object, long receiveCount,
                         Instant sentAt, Map<String, String> attributes, String body,
                         @JsonIgnore String receiptHandle, @JsonIgnore Map<String, MessageAttributeValue> rawAttributes,
                         String reasonSource) {
    /** The group of messages without a worker reason. */
    public static final String NO_REASON = "(none)";
    /** The reason is the worker's, in the message's attributes. */
    public static final String FROM_ATTRIBUTES = "attributes";
    /** The reason is the photo's FAILED status document. */
    public static final String FROM_STATUS = "status";
    /** The reason is read from the photo's attempt record (its environment died on the last delivery). */
    public static final String FROM_ATTEMPTS = "attempt-record";

    /** This message with a reason found elsewhere than in its attributes. */
    public DlqMessage explained(String code, String why, String source) {
        return new DlqMessage(messageId, code, why, object, receiveCount, sentAt, attributes, body, receiptHandle,
                rawAttributes, source);
    }

    /** Whether it belongs to the reason {@code filter}: the code itself, or its family ({@code retries-exhausted}). */
    public boolean hasReason(String filter) {
        return io.photopipe.core.ReasonCodes.matches(reasonCode, filter);
    }

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
        String source = code == null ? NO_REASON : FROM_ATTRIBUTES;
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
                new LinkedHashMap<>(m.messageAttributes()), source);
    }

    private static String objectFromBody(String body) {
        return photoOf(body).map(p -> p.bucket() + "/" + p.key()).orElse(null);
    }

    /** The photo an S3 notification (or re-process message) is about. */
    record Photo(String bucket, String key, String eTag) {
    }

    /** The first object the body names, if it is an S3 notification. */
    static java.util.Optional<Photo> photoOf(String body) {
        try {
            S3EventNotification n = S3EventNotification.fromJson(body);
            if (n.getRecords() == null || n.getRecords().isEmpty() || n.getRecords().getFirst() == null) {
                return java.util.Optional.empty();
            }
            S3EventNotificationRecord r = n.getRecords().getFirst();
            String eTag = r.getS3().getObject().getETag();
            return java.util.Optional.of(new Photo(r.getS3().getBucket().getName(),
                    r.getS3().getObject().getUrlDecodedKey(), eTag == null ? null : eTag.replace("\"", "")));
        } catch (RuntimeException e) {
            return java.util.Optional.empty(); // not an S3 notification
        }
    }
}
