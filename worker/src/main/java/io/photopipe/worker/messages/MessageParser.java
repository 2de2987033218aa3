package io.photopipe.worker.messages;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import software.amazon.awssdk.eventnotifications.s3.model.S3EventNotification;
import software.amazon.awssdk.eventnotifications.s3.model.S3EventNotificationRecord;

/**
 * Turns an SQS message body into {@link PhotoEvent}s. Understands every shape a deployment delivers:
 * <ul>
 *   <li>S3 event notifications with any number of records
 *       (<a href="https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-content-structure.html">event
 *       message structure</a>); keys are form-URL-encoded there and decoded here;</li>
 *   <li>the {@code s3:TestEvent} message (no records: {@link ParsedMessage.Ignored});</li>
 *   <li>S3 to SNS to SQS envelopes without raw delivery ({@code Type: Notification}, the S3 message as a string in
 *       {@code Message});</li>
 *   <li>EventBridge {@code Object Created} / {@code Object Deleted} events
 *       (<a href="https://docs.aws.amazon.com/AmazonS3/latest/userguide/ev-events.html">EventBridge event
 *       structure</a>), whose keys are not encoded;</li>
 *   <li>the producer's re-process messages: the S3 shape with event {@code ObjectCreated:Reprocess}, so they take the
 *       same path; the {@code photopipe-force} attribute asks for a rebuild.</li>
 * </ul>
 * Anything else is {@link ParsedMessage.Malformed} with a reason that shows the start of the body. Thread-safe.
 */
public final class MessageParser {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int SNIPPET = 120;

    /**
     * Parses one message body.
     *
     * @param body  the SQS message body
     * @param force whether the message asked for a rebuild (the {@code photopipe-force} message attribute)
     */
    public ParsedMessage parse(String body, boolean force) {
        if (body == null || body.isBlank()) {
            return new ParsedMessage.Malformed("the message body is empty");
        }
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            return new ParsedMessage.Malformed("the message body is not JSON (" + brief(e.getOriginalMessage())
                    + "); body starts with: " + snippet(body));
        }
        return parse(root, body, force, "");
    }

    private ParsedMessage parse(JsonNode root, String body, boolean force, String via) {
        if (root == null || !root.isObject()) {
            return new ParsedMessage.Malformed("the message body is JSON but not an object; body starts with: "
                    + snippet(body));
        }
        if ("s3:TestEvent".equals(text(root, "Event"))) {
            return new ParsedMessage.Ignored("test-event", "s3:TestEvent for bucket '" + text(root, "Bucket")
                    + "' (sent when a notification configuration is saved); nothing to do");
        }
        if ("Notification".equals(text(root, "Type")) && root.has("Message")) {
            return unwrapSns(root, body, force, via);
        }
        if (root.has("Records")) {
            return s3Notification(root, body, force, via + "s3");
        }
        if ("aws.s3".equals(text(root, "source")) && root.has("detail-type")) {
            return eventBridge(root, body, force, via + "eventbridge");
        }
        return new ParsedMessage.Malformed("unknown message shape (not an S3 notification, SNS envelope, "
                + "EventBridge S3 event or s3:TestEvent); body starts with: " + snippet(body));
    }

    private ParsedMessage unwrapSns(JsonNode envelope, String body, boolean force, String via) {
        if (!via.isEmpty()) {
            return new ParsedMessage.Malformed("an SNS envelope inside another envelope; body starts with: "
                    + snippet(body));
        }
        JsonNode message = envelope.get("Message");
        if (!message.isTextual()) {
            return new ParsedMessage.Malformed("SNS envelope whose Message is not a string; body starts with: "
                    + snippet(body));
        }
        // Attributes set on the SNS publish travel in the envelope, not as SQS attributes.
        JsonNode forceAttr = envelope.path("MessageAttributes").path(io.photopipe.core.MessageAttributes.FORCE);
        boolean snsForce = force || "true".equalsIgnoreCase(forceAttr.path("Value").asText(""));
        String inner = message.asText();
        JsonNode innerRoot;
        try {
            innerRoot = JSON.readTree(inner);
        } catch (JsonProcessingException e) {
            return new ParsedMessage.Malformed("SNS envelope whose Message is not JSON (" + brief(e.getOriginalMessage())
                    + "); Message starts with: " + snippet(inner));
        }
        return parse(innerRoot, inner, snsForce, "sns+");
    }

    private ParsedMessage s3Notification(JsonNode root, String body, boolean force, String shape) {
        JsonNode records = root.get("Records");
        if (!records.isArray() || records.isEmpty()) {
            return new ParsedMessage.Malformed("'Records' is empty or not an array; body starts with: "
                    + snippet(body));
        }
        for (JsonNode r : records) {
            String source = text(r, "eventSource");
            if (source != null && !"aws:s3".equals(source)) {
                return new ParsedMessage.Malformed("the records are not S3 event records (eventSource '" + source
                        + "'); body starts with: " + snippet(body));
            }
        }
        S3EventNotification notification;
        try {
            notification = S3EventNotification.fromJson(body);
        } catch (RuntimeException e) {
            return new ParsedMessage.Malformed("not a valid S3 event notification (" + brief(e.getMessage())
                    + "); body starts with: " + snippet(body));
        }
        List<PhotoEvent> events = new ArrayList<>();
        List<String> ignored = new ArrayList<>();
        List<S3EventNotificationRecord> list = notification.getRecords();
        for (int i = 0; i < list.size(); i++) {
            S3EventNotificationRecord r = list.get(i);
            if (r == null || r.getS3() == null || r.getS3().getBucket() == null || r.getS3().getObject() == null
                    || r.getS3().getBucket().getName() == null || r.getS3().getObject().getKey() == null
                    || r.getEventName() == null) {
                return new ParsedMessage.Malformed("record " + i + " has no eventName, bucket name or object key; "
                        + "body starts with: " + snippet(body));
            }
            String name = r.getEventName().startsWith("s3:") ? r.getEventName().substring(3) : r.getEventName();
            PhotoEvent.Kind kind = kindOfS3Event(name);
            if (kind == null) {
                ignored.add(name);
                continue;
            }
            String key;
            try {
                key = r.getS3().getObject().getUrlDecodedKey();
            } catch (IllegalArgumentException e) {
                return new ParsedMessage.Malformed("record " + i + " has a key that is not valid URL-encoding: '"
                        + r.getS3().getObject().getKey() + "'");
            }
            events.add(new PhotoEvent(kind, r.getS3().getBucket().getName(), key, r.getS3().getObject().getETag(),
                    r.getS3().getObject().getSizeAsLong(), name, force));
        }
        if (events.isEmpty()) {
            return new ParsedMessage.Ignored("ignored-event", "event types the worker does not act on: " + ignored);
        }
        return new ParsedMessage.Photos(shape, events);
    }

    /**
     * Created events make renditions; removals (including lifecycle expirations) delete them; other events
     * (restore, replication, tagging, ACL, ...) are not about the photo's content.
     */
    private static PhotoEvent.Kind kindOfS3Event(String name) {
        if (name.startsWith("ObjectCreated:")) {
            return PhotoEvent.Kind.CREATED;
        }
        if (name.startsWith("ObjectRemoved:") || name.equals("LifecycleExpiration:Delete")) {
            return PhotoEvent.Kind.REMOVED;
        }
        return null;
    }

    private ParsedMessage eventBridge(JsonNode root, String body, boolean force, String shape) {
        String type = text(root, "detail-type");
        PhotoEvent.Kind kind = switch (type) {
            case "Object Created" -> PhotoEvent.Kind.CREATED;
            case "Object Deleted" -> PhotoEvent.Kind.REMOVED;
            default -> null;
        };
        if (kind == null) {
            return new ParsedMessage.Ignored("ignored-event", "EventBridge event type the worker does not act on: '"
                    + type + "'");
        }
        JsonNode detail = root.path("detail");
        String bucket = text(detail.path("bucket"), "name");
        String key = text(detail.path("object"), "key");
        if (bucket == null || key == null) {
            return new ParsedMessage.Malformed("EventBridge '" + type + "' event without detail.bucket.name or "
                    + "detail.object.key; body starts with: " + snippet(body));
        }
        JsonNode size = detail.path("object").path("size");
        // EventBridge keys are plain (not URL-encoded), unlike S3 notifications.
        return new ParsedMessage.Photos(shape, List.of(new PhotoEvent(kind, bucket, key,
                text(detail.path("object"), "etag"), size.isNumber() ? size.asLong() : null, type, force)));
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    /** Parser messages quote the bad input at length; the snippet already shows it. */
    private static String brief(String message) {
        String m = String.valueOf(message);
        return m.length() > 80 ? m.substring(0, 77) + "..." : m;
    }

    static String snippet(String body) {
        String oneLine = body.strip().replaceAll("\\s+", " ");
        return "'" + (oneLine.length() > SNIPPET ? oneLine.substring(0, SNIPPET) + "..." : oneLine) + "'";
    }

    /** Whether a {@code photopipe-force} attribute value asks for a rebuild. */
    public static boolean isForce(String attributeValue) {
        return attributeValue != null && attributeValue.strip().toLowerCase(Locale.ROOT).equals("true");
    }
}
