package io.photopipe.local.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.photopipe.local.servers.EmbeddedS3;
import io.photopipe.local.servers.EmbeddedSqs;
import io.photopipe.local.servers.LocalCredentials;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Every way an object is created or removed in the embedded S3 produces the record S3 would send to SQS, checked
 * field by field against the event message structure
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-content-structure.html), through the real SDK.
 */
class NotificationsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger COUNTER = new AtomicInteger();

    @TempDir
    static Path dir;
    static EmbeddedSqs sqs;
    static EmbeddedS3 s3;
    static NotificationService notifications;

    @BeforeAll
    static void start() {
        sqs = EmbeddedSqs.start();
        notifications = NotificationService.start(dir.resolve("notifications"), sqs.client(), LocalCredentials.REGION);
        s3 = EmbeddedS3.start(EmbeddedS3.Options.builder().dataDir(dir.resolve("s3"))
                .blobStoreDecorator(notifications.decorator()).build());
    }

    @AfterAll
    static void stop() {
        s3.close();
        notifications.close();
        sqs.close();
    }

    /** A fresh bucket whose events under uploads/ (and the given suffix) go to a fresh queue; test event drained. */
    private static Target target(String suffix) {
        int n = COUNTER.incrementAndGet();
        String bucket = "notify-" + n;
        String queueUrl = sqs.createQueue("notify-q-" + n, java.util.Map.of());
        String arn = sqs.arnOf(queueUrl);
        s3.createBucket(bucket);
        notifications.configure(new NotificationConfiguration(bucket, List.of(new NotificationRule("rule-" + n,
                List.of("s3:ObjectCreated:*", "s3:ObjectRemoved:*"), "uploads/", suffix, arn))));
        JsonNode test = receive(queueUrl, 1).getFirst();
        assertThat(test.path("Event").asText()).isEqualTo("s3:TestEvent");
        return new Target(bucket, queueUrl);
    }

    record Target(String bucket, String queueUrl) {
    }

    static List<JsonNode> receive(String queueUrl, int count) {
        SqsClient client = sqs.client();
        List<JsonNode> out = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            for (Message m : client.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10)
                    .waitTimeSeconds(1)).messages()) {
                out.add(JSON.readTree(m.body()));
                client.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(m.receiptHandle()));
            }
            return out.size() >= count;
        });
        assertThat(out).hasSize(count);
        return out;
    }

    static JsonNode record(JsonNode message) {
        assertThat(message.path("Records")).hasSize(1); // S3 sends one record per message
        return message.path("Records").get(0);
    }

    static String md5(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
    }

    @Test
    void putSendsObjectCreatedPutWithTheRecordFieldsS3Sends() throws Exception {
        Target t = target("");
        byte[] body = "a photo".getBytes(StandardCharsets.UTF_8);
        String key = "uploads/Summer 2023/café + friends@beach (1).jpg";
        s3.client().putObject(b -> b.bucket(t.bucket()).key(key), RequestBody.fromBytes(body));

        JsonNode r = record(receive(t.queueUrl(), 1).getFirst());
        assertThat(r.path("eventVersion").asText()).isEqualTo("2.1");
        assertThat(r.path("eventSource").asText()).isEqualTo("aws:s3");
        assertThat(r.path("awsRegion").asText()).isEqualTo("us-east-1");
        assertThat(r.path("eventName").asText()).isEqualTo("ObjectCreated:Put");
        assertThat(r.path("eventTime").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        assertThat(r.path("s3").path("s3SchemaVersion").asText()).isEqualTo("1.0");
        assertThat(r.path("s3").path("configurationId").asText()).startsWith("rule-");
        assertThat(r.path("s3").path("bucket").path("name").asText()).isEqualTo(t.bucket());
        assertThat(r.path("s3").path("bucket").path("arn").asText()).isEqualTo("arn:aws:s3:::" + t.bucket());
        JsonNode o = r.path("s3").path("object");
        // form-URL-encoded as S3 does: space -> '+', '+' -> %2B, UTF-8 escapes; '/' kept
        assertThat(o.path("key").asText()).isEqualTo("uploads/Summer+2023/caf%C3%A9+%2B+friends%40beach+%281%29.jpg");
        assertThat(o.path("size").asLong()).isEqualTo(body.length);
        assertThat(o.path("eTag").asText()).isEqualTo(md5(body));
        assertThat(o.path("sequencer").asText()).matches("[0-9A-F]{16,}");
        assertThat(o.has("versionId")).isFalse(); // unversioned bucket
        assertThat(r.path("responseElements").path("x-amz-request-id").asText()).isNotBlank();
    }

    @Test
    void presignedPutIsAPut() throws Exception {
        Target t = target("");
        byte[] body = new byte[1234];
        var presigned = s3.presigner().presignPutObject(p -> p.signatureDuration(Duration.ofMinutes(5))
                .putObjectRequest(b -> b.bucket(t.bucket()).key("uploads/presigned.jpg")));
        try (var http = java.net.http.HttpClient.newHttpClient()) {
            var response = http.send(java.net.http.HttpRequest.newBuilder(presigned.url().toURI())
                    .PUT(java.net.http.HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        }
        JsonNode o = record(receive(t.queueUrl(), 1).getFirst());
        assertThat(o.path("eventName").asText()).isEqualTo("ObjectCreated:Put");
        assertThat(o.path("s3").path("object").path("size").asLong()).isEqualTo(1234);
    }

    @Test
    void browserPostObjectIsAPost() throws Exception {
        Target t = target("");
        byte[] body = "posted".getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> response = PostObjectForm.upload(s3.endpoint(), t.bucket(), "uploads/posted.jpg", body,
                LocalCredentials.ACCESS_KEY_ID, LocalCredentials.SECRET_ACCESS_KEY, LocalCredentials.REGION);
        assertThat(response.statusCode()).as(response.body()).isBetween(200, 204);

        JsonNode r = record(receive(t.queueUrl(), 1).getFirst());
        assertThat(r.path("eventName").asText()).isEqualTo("ObjectCreated:Post");
        assertThat(r.path("s3").path("object").path("size").asLong()).isEqualTo(body.length);
        assertThat(r.path("s3").path("object").path("eTag").asText()).isEqualTo(md5(body));
    }

    @Test
    void multipartUploadSendsCompleteMultipartUploadWithTotalSizeAndUnquotedETag() {
        Target t = target("");
        S3Client client = s3.client();
        String key = "uploads/big.jpg";
        String uploadId = client.createMultipartUpload(b -> b.bucket(t.bucket()).key(key)).uploadId();
        byte[] part1 = new byte[5 * 1024 * 1024];
        byte[] part2 = new byte[1000];
        String e1 = client.uploadPart(b -> b.bucket(t.bucket()).key(key).uploadId(uploadId).partNumber(1),
                RequestBody.fromBytes(part1)).eTag();
        String e2 = client.uploadPart(b -> b.bucket(t.bucket()).key(key).uploadId(uploadId).partNumber(2),
                RequestBody.fromBytes(part2)).eTag();
        String eTag = client.completeMultipartUpload(b -> b.bucket(t.bucket()).key(key).uploadId(uploadId)
                .multipartUpload(m -> m.parts(CompletedPart.builder().partNumber(1).eTag(e1).build(),
                        CompletedPart.builder().partNumber(2).eTag(e2).build()))).eTag();

        List<JsonNode> messages = receive(t.queueUrl(), 1); // no event for the parts or any placeholder
        JsonNode r = record(messages.getFirst());
        assertThat(r.path("eventName").asText()).isEqualTo("ObjectCreated:CompleteMultipartUpload");
        assertThat(r.path("s3").path("object").path("size").asLong()).isEqualTo(part1.length + part2.length);
        assertThat(r.path("s3").path("object").path("eTag").asText()).isEqualTo(eTag.replace("\"", ""))
                .endsWith("-2").doesNotContain("\"");
    }

    @Test
    void copySendsObjectCreatedCopyWithTheSizeOfTheCopy() {
        Target t = target("");
        s3.client().putObject(b -> b.bucket(t.bucket()).key("elsewhere/src.jpg"),
                RequestBody.fromBytes(new byte[777])); // outside the prefix: no event
        s3.client().copyObject(b -> b.sourceBucket(t.bucket()).sourceKey("elsewhere/src.jpg")
                .destinationBucket(t.bucket()).destinationKey("uploads/copy.jpg"));

        JsonNode r = record(receive(t.queueUrl(), 1).getFirst());
        assertThat(r.path("eventName").asText()).isEqualTo("ObjectCreated:Copy");
        assertThat(r.path("s3").path("object").path("key").asText()).isEqualTo("uploads/copy.jpg");
        assertThat(r.path("s3").path("object").path("size").asLong()).isEqualTo(777);
    }

    @Test
    void deleteSendsObjectRemovedDeleteAlsoForAMissingKeyAndPerKeyForDeleteObjects() {
        Target t = target("");
        S3Client client = s3.client();
        client.putObject(b -> b.bucket(t.bucket()).key("uploads/a.jpg"), RequestBody.fromBytes(new byte[10]));
        client.putObject(b -> b.bucket(t.bucket()).key("uploads/b.jpg"), RequestBody.fromBytes(new byte[10]));
        receive(t.queueUrl(), 2);

        client.deleteObject(b -> b.bucket(t.bucket()).key("uploads/a.jpg"));
        client.deleteObject(b -> b.bucket(t.bucket()).key("uploads/never-existed.jpg"));
        client.deleteObjects(b -> b.bucket(t.bucket()).delete(d -> d.objects(o -> o.key("uploads/b.jpg"),
                o -> o.key("uploads/c.jpg"))));

        List<JsonNode> records = receive(t.queueUrl(), 4).stream().map(NotificationsTest::record).toList();
        assertThat(records).allSatisfy(r -> {
            assertThat(r.path("eventName").asText()).isEqualTo("ObjectRemoved:Delete");
            assertThat(r.path("s3").path("object").has("size")).isFalse();
            assertThat(r.path("s3").path("object").has("eTag")).isFalse();
            assertThat(r.path("s3").path("object").path("sequencer").asText()).isNotBlank();
        });
        assertThat(records).extracting(r -> r.path("s3").path("object").path("key").asText())
                .containsExactlyInAnyOrder("uploads/a.jpg", "uploads/never-existed.jpg", "uploads/b.jpg",
                        "uploads/c.jpg");
    }

    @Test
    void sequencerOrdersEventsOfOneKey() {
        Target t = target("");
        for (int i = 0; i < 3; i++) {
            s3.client().putObject(b -> b.bucket(t.bucket()).key("uploads/same.jpg"),
                    RequestBody.fromBytes(new byte[10]));
        }
        s3.client().deleteObject(b -> b.bucket(t.bucket()).key("uploads/same.jpg"));
        List<JsonNode> records = receive(t.queueUrl(), 4).stream().map(NotificationsTest::record).toList();
        List<String> puts = records.stream().filter(r -> r.path("eventName").asText().equals("ObjectCreated:Put"))
                .map(r -> r.path("s3").path("object").path("sequencer").asText()).toList();
        String delete = records.stream().filter(r -> r.path("eventName").asText().equals("ObjectRemoved:Delete"))
                .map(r -> r.path("s3").path("object").path("sequencer").asText()).findFirst().orElseThrow();
        // Compared as S3 documents (same length here, so lexically): the later event has the greater sequencer.
        assertThat(puts).hasSize(3).doesNotHaveDuplicates().allSatisfy(p -> assertThat(p).isLessThan(delete));
    }

    @Test
    void prefixAndSuffixFiltersSelectWhatIsSent() {
        Target t = target(".jpg");
        S3Client client = s3.client();
        client.putObject(b -> b.bucket(t.bucket()).key("uploads/skip.png"), RequestBody.fromBytes(new byte[1]));
        client.putObject(b -> b.bucket(t.bucket()).key("renditions/x.jpg/thumb.jpg"),
                RequestBody.fromBytes(new byte[1]));
        client.putObject(b -> b.bucket(t.bucket()).key("uploadsX/near-miss.jpg"), RequestBody.fromBytes(new byte[1]));
        client.putObject(b -> b.bucket(t.bucket()).key("uploads/keep.jpg"), RequestBody.fromBytes(new byte[1]));

        // Only the matching object arrives; the filtered ones were never written to the outbox.
        List<JsonNode> messages = receive(t.queueUrl(), 1);
        assertThat(record(messages.getFirst()).path("s3").path("object").path("key").asText())
                .isEqualTo("uploads/keep.jpg");
        assertThat(sqs.client().receiveMessage(b -> b.queueUrl(t.queueUrl()).waitTimeSeconds(1)).messages())
                .isEmpty();
    }

    @Test
    void eventTypesOfARuleSelectWhatIsSent() {
        int n = COUNTER.incrementAndGet();
        String bucket = "notify-types-" + n;
        String queueUrl = sqs.createQueue("notify-types-q-" + n, java.util.Map.of());
        s3.createBucket(bucket);
        notifications.configure(new NotificationConfiguration(bucket, List.of(new NotificationRule("deletes",
                List.of("s3:ObjectRemoved:Delete"), "", "", sqs.arnOf(queueUrl)))));
        receive(queueUrl, 1); // test event
        s3.client().putObject(b -> b.bucket(bucket).key("a.jpg"), RequestBody.fromBytes(new byte[1]));
        s3.client().deleteObject(b -> b.bucket(bucket).key("a.jpg"));

        assertThat(record(receive(queueUrl, 1).getFirst()).path("eventName").asText())
                .isEqualTo("ObjectRemoved:Delete");
    }

    @Test
    void savingAConfigurationSendsATestEventOnlyWhenItChanged() {
        Target t = target(""); // its test event was received by target()
        NotificationConfiguration same = notifications.configuration(t.bucket());
        assertThat(notifications.configure(same)).isFalse();
        s3.client().putObject(b -> b.bucket(t.bucket()).key("uploads/marker.jpg"), RequestBody.fromBytes(new byte[1]));
        JsonNode next = receive(t.queueUrl(), 1).getFirst();
        assertThat(next.has("Records")).as("no second test event before the object's record").isTrue();

        JsonNode test = null;
        NotificationRule rule = same.rules().getFirst();
        assertThat(notifications.configure(new NotificationConfiguration(t.bucket(), List.of(new NotificationRule(
                rule.id(), rule.events(), "other/", "", rule.queueArn()))))).isTrue();
        test = receive(t.queueUrl(), 1).getFirst();
        assertThat(test.path("Service").asText()).isEqualTo("Amazon S3");
        assertThat(test.path("Event").asText()).isEqualTo("s3:TestEvent");
        assertThat(test.path("Bucket").asText()).isEqualTo(t.bucket());
        assertThat(test.has("Records")).isFalse();
    }

    @Test
    void overlappingRulesAreRejectedAsS3RejectsThem() {
        String arn = "arn:aws:sqs:us-east-1:000000000000:q";
        assertThatThrownBy(() -> new NotificationConfiguration("b", List.of(
                new NotificationRule("a", List.of("s3:ObjectCreated:*"), "uploads/", "", arn),
                new NotificationRule("b", List.of("s3:ObjectCreated:Put"), "uploads/2024/", ".jpg", arn))))
                .hasMessageContaining("Configuration is ambiguously defined");
        // Disjoint suffixes are fine.
        new NotificationConfiguration("b", List.of(
                new NotificationRule("a", List.of("s3:ObjectCreated:*"), "uploads/", ".png", arn),
                new NotificationRule("b", List.of("s3:ObjectCreated:*"), "uploads/", ".jpg", arn)));
        assertThatThrownBy(() -> new NotificationRule("x", List.of("s3:ObjectCreated:Upload"), "", "", arn))
                .hasMessageContaining("'s3:ObjectCreated:Upload' is not one of");
        assertThatThrownBy(() -> new NotificationRule("x", List.of("s3:ObjectCreated:*"), "", "", "queue-name"))
                .hasMessageContaining("queueArn 'queue-name' must look like arn:aws:sqs:");
    }
}
