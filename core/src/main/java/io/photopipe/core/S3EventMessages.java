package io.photopipe.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Objects;
import software.amazon.awssdk.eventnotifications.s3.model.RequestParameters;
import software.amazon.awssdk.eventnotifications.s3.model.ResponseElements;
import software.amazon.awssdk.eventnotifications.s3.model.S3;
import software.amazon.awssdk.eventnotifications.s3.model.S3Bucket;
import software.amazon.awssdk.eventnotifications.s3.model.S3EventNotification;
import software.amazon.awssdk.eventnotifications.s3.model.S3EventNotificationRecord;
import software.amazon.awssdk.eventnotifications.s3.model.S3Object;
import software.amazon.awssdk.eventnotifications.s3.model.UserIdentity;

/**
 * The message format: S3 event notifications as S3 sends them to SQS
 * (<a href="https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-content-structure.html">event
 * message structure</a>), written with the SDK's {@code s3-event-notifications} model. The local runtime emits them
 * for real S3 operations; the producer emits the same shape for re-processing (event name
 * {@value #REPROCESS_EVENT}), so the worker has one path.
 */
public final class S3EventMessages {
    /** The event name of producer re-process messages; the worker treats every {@code ObjectCreated:*} alike. */
    public static final String REPROCESS_EVENT = "ObjectCreated:Reprocess";
    /** principalId of producer messages, so logs show where a message came from. */
    public static final String PRODUCER_PRINCIPAL = "photopipe-producer";

    private static final ObjectMapper NORMALISER = new ObjectMapper();
    private static final DateTimeFormatter EVENT_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private S3EventMessages() {
    }

    /**
     * One S3 event, as the fields of a notification record.
     *
     * @param eventName   without the {@code s3:} prefix, e.g. {@code ObjectCreated:Put}, {@code ObjectRemoved:Delete}
     * @param key         the object key, not encoded (it is form-URL-encoded in the JSON, as S3 does)
     * @param size        object size in bytes; null for removals
     * @param eTag        without quotes; null for removals
     * @param versionId   null when the bucket is not versioned
     * @param sequencer   hex string ordering events of one key
     */
    public record ObjectEvent(String eventName, Instant time, String region, String bucket, String key, Long size,
                              String eTag, String versionId, String sequencer, String principalId,
                              String configurationId, String sourceIp, String requestId) {
        public ObjectEvent {
            Objects.requireNonNull(eventName, "eventName");
            Objects.requireNonNull(bucket, "bucket");
            Objects.requireNonNull(key, "key");
            time = time == null ? Instant.now() : time;
            region = region == null ? "us-east-1" : region;
            principalId = principalId == null ? "AWS:PHOTOPIPELOCAL" : principalId;
            configurationId = configurationId == null ? "photopipe" : configurationId;
            sourceIp = sourceIp == null ? "127.0.0.1" : sourceIp;
            requestId = requestId == null ? "0000000000000000" : requestId;
        }
    }

    /** A notification message body with one or more records. */
    public static String notification(List<ObjectEvent> events) {
        String json = new S3EventNotification(events.stream().map(S3EventMessages::record).toList()).toJson();
        return asS3Writes(json, events);
    }

    /**
     * The SDK's writer prints absent object fields as {@code null} and times with nanoseconds; S3 omits
     * {@code size}/{@code eTag} on removals and {@code versionId} on unversioned buckets, and writes times with
     * milliseconds ({@code 1970-01-01T00:00:00.000Z}), so the JSON is normalised to what S3 sends.
     */
    private static String asS3Writes(String json, List<ObjectEvent> events) {
        try {
            ObjectNode root = (ObjectNode) NORMALISER.readTree(json);
            JsonNode records = root.path("Records");
            for (int i = 0; i < records.size(); i++) {
                ObjectNode r = (ObjectNode) records.get(i);
                r.put("eventTime", EVENT_TIME.format(events.get(i).time()));
                JsonNode object = r.path("s3").path("object");
                if (object instanceof ObjectNode o) {
                    List<String> nulls = new java.util.ArrayList<>();
                    o.properties().forEach(f -> {
                        if (f.getValue().isNull()) {
                            nulls.add(f.getKey());
                        }
                    });
                    o.remove(nulls);
                }
            }
            return NORMALISER.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the SDK wrote an S3 event we cannot read back", e);
        }
    }

    /** The producer's re-process message for one existing object. */
    public static String reprocess(String region, String bucket, String key, long size, String eTag) {
        return notification(List.of(new ObjectEvent(REPROCESS_EVENT, Instant.now(), region, bucket, key, size,
                stripQuotes(eTag), null, null, PRODUCER_PRINCIPAL, "photopipe-backfill", null, null)));
    }

    /**
     * The {@code s3:TestEvent} message S3 sends when a notification configuration is saved; it has no Records.
     */
    public static String testEvent(String bucket, Instant time, String requestId) {
        return "{\"Service\":\"Amazon S3\",\"Event\":\"s3:TestEvent\",\"Time\":\"" + time + "\",\"Bucket\":\""
                + bucket + "\",\"RequestId\":\"" + requestId + "\",\"HostId\":\"photopipe-local\"}";
    }

    /**
     * Encodes a key as S3 does in notifications: form-URL-encoding ({@code ' '} becomes {@code +}, {@code +}
     * becomes {@code %2B}, UTF-8 escapes) with {@code /} kept.
     */
    public static String encodeKey(String key) {
        StringBuilder out = new StringBuilder(key.length() + 16);
        int start = 0;
        for (int slash = key.indexOf('/'); ; slash = key.indexOf('/', start)) {
            String segment = slash < 0 ? key.substring(start) : key.substring(start, slash);
            out.append(URLEncoder.encode(segment, StandardCharsets.UTF_8));
            if (slash < 0) {
                return out.toString();
            }
            out.append('/');
            start = slash + 1;
        }
    }

    /** ETags arrive quoted from S3 APIs and unquoted in notifications. */
    public static String stripQuotes(String eTag) {
        if (eTag == null) {
            return null;
        }
        return eTag.length() >= 2 && eTag.startsWith("\"") && eTag.endsWith("\"")
                ? eTag.substring(1, eTag.length() - 1) : eTag;
    }

    private static S3EventNotificationRecord record(ObjectEvent e) {
        S3EventNotificationRecord r = new S3EventNotificationRecord();
        r.setEventVersion("2.1");
        r.setEventSource("aws:s3");
        r.setAwsRegion(e.region());
        r.setEventTime(e.time());
        r.setEventName(e.eventName());
        r.setUserIdentity(new UserIdentity(e.principalId()));
        r.setRequestParameters(new RequestParameters(e.sourceIp()));
        r.setResponseElements(new ResponseElements("photopipe/" + e.requestId(), e.requestId()));
        S3Bucket bucket = new S3Bucket(e.bucket(), new UserIdentity(e.principalId()), "arn:aws:s3:::" + e.bucket());
        S3Object object = new S3Object(encodeKey(e.key()), e.size(), stripQuotes(e.eTag()), e.versionId(),
                e.sequencer());
        r.setS3(new S3(e.configurationId(), bucket, object, "1.0")); // (configurationId, bucket, object, schema)
        return r;
    }
}
