package io.photopipe.worker.messages;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.photopipe.core.S3EventMessages;
import io.photopipe.worker.testing.LambdaEvents;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every real event of the corpus, and the shapes around them. */
class MessageParserTest {
    private final MessageParser parser = new MessageParser();

    private static String event(String name) {
        return LambdaEvents.resource("/events/" + name);
    }

    private PhotoEvent onlyEvent(ParsedMessage p) {
        assertThat(p).isInstanceOf(ParsedMessage.Photos.class);
        List<PhotoEvent> events = ((ParsedMessage.Photos) p).events();
        assertThat(events).hasSize(1);
        return events.getFirst();
    }

    @Test
    void awsDocsPutExample() {
        PhotoEvent e = onlyEvent(parser.parse(event("s3_put_docs_example.json"), false));
        assertThat(e).isEqualTo(new PhotoEvent(PhotoEvent.Kind.CREATED, "mybucket", "HappyFace.jpg",
                "d41d8cd98f00b204e9800998ecf8427e", 1024L, "ObjectCreated:Put", false));
    }

    @Test
    void keysAreFormUrlDecodedPlusIsSpaceAndPercent2BIsPlus() {
        PhotoEvent e = onlyEvent(parser.parse(event("s3_put_key_urlencoded_space_plus_unicode.json"), false));
        assertThat(e.bucket()).isEqualTo("amzn-s3-demo-bucket");
        assertThat(e.key()).isEqualTo("uploads/Summer 2023/café + friends@beach (1).jpg");
        assertThat(e.eTag()).isEqualTo("5d41402abc4b2a76b9719d911017c592");
    }

    @Test
    void testEventIsIgnored() {
        assertThat(parser.parse(event("s3_test_event_docs.json"), false))
                .isInstanceOfSatisfying(ParsedMessage.Ignored.class, i -> {
                    assertThat(i.code()).isEqualTo("test-event");
                    assertThat(i.reason()).contains("bucketname");
                });
    }

    @Test
    void snsEnvelopeIsUnwrapped() {
        ParsedMessage p = parser.parse(event("sns_envelope_s3_put.json"), false);
        assertThat(((ParsedMessage.Photos) p).shape()).isEqualTo("sns+s3");
        assertThat(onlyEvent(p).key()).isEqualTo("uploads/Summer 2023/café + friends@beach (1).jpg");
    }

    @Test
    void eventBridgeObjectCreatedKeysAreNotDecoded() {
        ParsedMessage p = parser.parse(event("eventbridge_object_created_docs.json"), false);
        assertThat(((ParsedMessage.Photos) p).shape()).isEqualTo("eventbridge");
        assertThat(onlyEvent(p)).isEqualTo(new PhotoEvent(PhotoEvent.Kind.CREATED, "DOC-EXAMPLE-BUCKET1",
                "example-key", "b1946ac92492d2347c6235b4d2611184", 5L, "Object Created", false));
        String plus = event("eventbridge_object_created_docs.json").replace("\"example-key\"", "\"a+b%2B.jpg\"")
                .replace("Object Created", "Object Deleted");
        PhotoEvent deleted = onlyEvent(parser.parse(plus, false));
        assertThat(deleted.key()).isEqualTo("a+b%2B.jpg");
        assertThat(deleted.kind()).isEqualTo(PhotoEvent.Kind.REMOVED);
    }

    @Test
    void powertoolsSqsEventBodyIsAnS3Notification() {
        SQSEvent sqs = LambdaEvents.sqsEvent(event("sqs_lambda_event_s3_put_powertools.json"));
        assertThat(sqs.getRecords()).hasSize(1);
        assertThat(sqs.getRecords().getFirst().getEventSourceArn()).isEqualTo("arn:aws:sqs:us-east-1:123456789012:SQS");
        PhotoEvent e = onlyEvent(parser.parse(sqs.getRecords().getFirst().getBody(), false));
        assertThat(e.object()).isEqualTo("xxx/test.pdf");
        assertThat(e.size()).isEqualTo(104681L);
    }

    @Test
    void manyRecordsRemovalsAndReprocessMessages() {
        String body = S3EventMessages.notification(List.of(
                new S3EventMessages.ObjectEvent("ObjectCreated:CompleteMultipartUpload", Instant.now(), null, "b",
                        "uploads/a b.jpg", 5L, "\"e1\"", null, null, null, null, null, null),
                new S3EventMessages.ObjectEvent("ObjectRemoved:DeleteMarkerCreated", Instant.now(), null, "b",
                        "uploads/c.jpg", null, null, null, null, null, null, null, null),
                new S3EventMessages.ObjectEvent("ObjectRestore:Completed", Instant.now(), null, "b",
                        "uploads/d.jpg", null, null, null, null, null, null, null, null)));
        List<PhotoEvent> events = ((ParsedMessage.Photos) parser.parse(body, true)).events();
        assertThat(events).extracting(PhotoEvent::kind, PhotoEvent::key, PhotoEvent::eTag, PhotoEvent::force)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(PhotoEvent.Kind.CREATED, "uploads/a b.jpg", "e1", true),
                        org.assertj.core.groups.Tuple.tuple(PhotoEvent.Kind.REMOVED, "uploads/c.jpg", null, true));
        PhotoEvent reprocess = onlyEvent(parser.parse(S3EventMessages.reprocess("us-east-1", "b", "uploads/x+y.jpg",
                10, "\"abc\""), false));
        assertThat(reprocess.eventName()).isEqualTo("ObjectCreated:Reprocess");
        assertThat(reprocess.key()).isEqualTo("uploads/x+y.jpg");
        assertThat(reprocess.eTag()).isEqualTo("abc");
        assertThat(parser.parse(S3EventMessages.notification(List.of(new S3EventMessages.ObjectEvent(
                "ObjectTagging:Put", Instant.now(), null, "b", "k", null, null, null, null, null, null, null,
                null))), false)).isInstanceOf(ParsedMessage.Ignored.class);
    }

    @Test
    void malformedMessagesSayWhatIsWrongAndShowTheBody() {
        assertMalformed("", "empty");
        assertMalformed("hello world", "not JSON", "'hello world'");
        assertMalformed("[1,2]", "not an object");
        assertMalformed("{\"foo\":1}", "unknown message shape", "{\"foo\":1}");
        assertMalformed("{\"Records\":[]}", "'Records' is empty");
        assertMalformed("{\"Records\":[{\"eventSource\":\"aws:sqs\"}]}", "not S3 event records");
        assertMalformed("{\"Records\":[{\"eventSource\":\"aws:s3\",\"eventName\":\"ObjectCreated:Put\"}]}",
                "record 0 has no eventName, bucket name or object key");
        assertMalformed("{\"Type\":\"Notification\",\"Message\":\"oops\"}", "SNS envelope whose Message is not JSON");
        assertMalformed("{\"source\":\"aws.s3\",\"detail-type\":\"Object Created\",\"detail\":{}}",
                "without detail.bucket.name");
        assertThat(parser.parse("x".repeat(500), false)).isInstanceOfSatisfying(ParsedMessage.Malformed.class,
                m -> assertThat(m.reason()).hasSizeLessThan(300));
    }

    private void assertMalformed(String body, String... contains) {
        assertThat(parser.parse(body, false)).isInstanceOfSatisfying(ParsedMessage.Malformed.class,
                m -> assertThat(m.reason()).contains(contains));
    }
}
