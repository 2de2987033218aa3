package io.photopipe.local.esm.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * The SQS event exactly as Lambda delivers it: {@code {"Records":[{messageId, receiptHandle, body, attributes,
 * messageAttributes, md5OfBody, [md5OfMessageAttributes,] eventSource, eventSourceARN, awsRegion}]}}; see
 * <a href="https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html#example-standard-queue-message-event">Example
 * standard queue message event</a>.
 */
public final class SqsRecords {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** System attributes Lambda passes on, in the order it prints them. */
    private static final List<MessageSystemAttributeName> SYSTEM = List.of(
            MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT, MessageSystemAttributeName.AWS_TRACE_HEADER,
            MessageSystemAttributeName.SENT_TIMESTAMP, MessageSystemAttributeName.SEQUENCE_NUMBER,
            MessageSystemAttributeName.MESSAGE_GROUP_ID, MessageSystemAttributeName.SENDER_ID,
            MessageSystemAttributeName.MESSAGE_DEDUPLICATION_ID,
            MessageSystemAttributeName.APPROXIMATE_FIRST_RECEIVE_TIMESTAMP,
            MessageSystemAttributeName.DEAD_LETTER_QUEUE_SOURCE_ARN);
    private static final byte[] OPEN = "{\"Records\":[".getBytes(StandardCharsets.UTF_8);
    private static final byte[] CLOSE = "]}".getBytes(StandardCharsets.UTF_8);

    private SqsRecords() {
    }

    /** One record of the event. */
    public static ObjectNode record(Message m, String queueArn, String region) {
        ObjectNode r = JSON.createObjectNode();
        r.put("messageId", m.messageId());
        r.put("receiptHandle", m.receiptHandle());
        r.put("body", m.body());
        ObjectNode attrs = r.putObject("attributes");
        Map<MessageSystemAttributeName, String> sys = m.attributes();
        for (MessageSystemAttributeName a : SYSTEM) {
            String v = sys.get(a);
            if (v != null) {
                attrs.put(a.toString(), v);
            }
        }
        ObjectNode mattrs = r.putObject("messageAttributes");
        m.messageAttributes().forEach((name, v) -> mattrs.set(name, attribute(v)));
        r.put("md5OfBody", m.md5OfBody());
        if (m.md5OfMessageAttributes() != null && !m.messageAttributes().isEmpty()) {
            r.put("md5OfMessageAttributes", m.md5OfMessageAttributes());
        }
        r.put("eventSource", "aws:sqs");
        r.put("eventSourceARN", queueArn);
        r.put("awsRegion", region);
        return r;
    }

    private static ObjectNode attribute(MessageAttributeValue v) {
        ObjectNode a = JSON.createObjectNode();
        if (v.stringValue() != null) {
            a.put("stringValue", v.stringValue());
        }
        if (v.binaryValue() != null) {
            a.put("binaryValue", Base64.getEncoder().encodeToString(v.binaryValue().asByteArray()));
        }
        ArrayNode sl = a.putArray("stringListValues");
        v.stringListValues().forEach(sl::add);
        ArrayNode bl = a.putArray("binaryListValues");
        v.binaryListValues().forEach(b -> bl.add(Base64.getEncoder().encodeToString(b.asByteArray())));
        a.put("dataType", v.dataType());
        return a;
    }

    /** The record's JSON bytes, as they will sit in the payload. */
    public static byte[] bytes(ObjectNode record) {
        return record.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The size of an event holding records of these sizes. */
    public static long eventSize(long recordBytesSum, int records) {
        return OPEN.length + CLOSE.length + recordBytesSum + Math.max(0, records - 1);
    }

    /** {@code {"Records":[r1,r2,...]}}. */
    public static byte[] event(List<byte[]> records) {
        long size = eventSize(records.stream().mapToLong(b -> b.length).sum(), records.size());
        byte[] out = new byte[Math.toIntExact(size)];
        int at = 0;
        System.arraycopy(OPEN, 0, out, at, OPEN.length);
        at += OPEN.length;
        for (int i = 0; i < records.size(); i++) {
            if (i > 0) {
                out[at++] = ',';
            }
            byte[] r = records.get(i);
            System.arraycopy(r, 0, out, at, r.length);
            at += r.length;
        }
        System.arraycopy(CLOSE, 0, out, at, CLOSE.length);
        return out;
    }
}
