package io.photopipe.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.eventnotifications.s3.model.S3EventNotification;
import software.amazon.awssdk.eventnotifications.s3.model.S3EventNotificationRecord;

class S3EventMessagesTest {
    @Test
    void encodesKeysAsS3Does() {
        // Same key and encoding as the reconstructed event in the corpus.
        assertThat(S3EventMessages.encodeKey("uploads/Summer 2023/café + friends@beach (1).jpg"))
                .isEqualTo("uploads/Summer+2023/caf%C3%A9+%2B+friends%40beach+%281%29.jpg");
    }

    @Test
    void notificationRoundTripsThroughTheSdkModel() {
        String key = "uploads/a b+c.jpg";
        String json = S3EventMessages.notification(List.of(new S3EventMessages.ObjectEvent("ObjectCreated:Put",
                Instant.parse("2024-01-01T00:00:00Z"), "eu-west-1", "bkt", key, 42L, "\"abc\"", null, "0A1B", null,
                null, null, null)));
        S3EventNotificationRecord r = S3EventNotification.fromJson(json).getRecords().getFirst();
        assertThat(r.getEventName()).isEqualTo("ObjectCreated:Put");
        assertThat(r.getS3().getObject().getUrlDecodedKey()).isEqualTo(key);
        assertThat(r.getS3().getObject().getKey()).isEqualTo("uploads/a+b%2Bc.jpg");
        assertThat(r.getS3().getObject().getETag()).isEqualTo("abc");
        assertThat(r.getS3().getObject().getSizeAsLong()).isEqualTo(42L);
        assertThat(r.getS3().getBucket().getName()).isEqualTo("bkt");
        assertThat(r.getAwsRegion()).isEqualTo("eu-west-1");
    }

    @Test
    void reprocessMessagesHaveTheS3Shape() {
        S3EventNotificationRecord r = S3EventNotification.fromJson(
                S3EventMessages.reprocess("us-east-1", "b", "uploads/x.jpg", 7, "\"e\"")).getRecords().getFirst();
        assertThat(r.getEventName()).isEqualTo(S3EventMessages.REPROCESS_EVENT);
        assertThat(r.getS3().getObject().getUrlDecodedKey()).isEqualTo("uploads/x.jpg");
    }

    @Test
    void recordsHaveS3sFieldPlacementTimePrecisionAndNoNullObjectFields() throws Exception {
        var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        var record = mapper.readTree(S3EventMessages.notification(List.of(new S3EventMessages.ObjectEvent(
                "ObjectRemoved:Delete", Instant.parse("2024-01-01T00:00:00.123456789Z"), null, "bkt", "uploads/a.jpg",
                null, null, null, "0A1B", null, "my-config", null, null)))).path("Records").get(0);
        // regression: configurationId and s3SchemaVersion were swapped (the SDK's S3 constructor takes the id first)
        assertThat(record.path("s3").path("configurationId").asText()).isEqualTo("my-config");
        assertThat(record.path("s3").path("s3SchemaVersion").asText()).isEqualTo("1.0");
        // S3 writes milliseconds, and omits size/eTag on removals and versionId on unversioned buckets
        assertThat(record.path("eventTime").asText()).isEqualTo("2024-01-01T00:00:00.123Z");
        var object = record.path("s3").path("object");
        assertThat(object.has("size")).isFalse();
        assertThat(object.has("eTag")).isFalse();
        assertThat(object.has("versionId")).isFalse();
        assertThat(object.path("sequencer").asText()).isEqualTo("0A1B");
        assertThat(S3EventNotification.fromJson(mapper.writeValueAsString(mapper.createObjectNode()
                .set("Records", mapper.createArrayNode().add(record)))).getRecords().getFirst().getS3().getObject()
                .getSizeAsLong()).isNull();
    }
}
