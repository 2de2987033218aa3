package io.photopipe.worker;

import static io.photopipe.worker.testing.WorkerHarness.failedIds;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.photopipe.core.FunctionEnv;
import io.photopipe.core.PhotoStatus;
import io.photopipe.worker.testing.LambdaEvents;
import io.photopipe.worker.testing.WorkerHarness;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Every real event of the corpus (test resources {@code events/}), delivered through SQS to the handler against the
 * embedded S3 and SQS. Where an event names an object, a real photo is put there first, so the event is processed
 * for real: fetched, rendered and recorded.
 */
class EventsHandlerTest {

    static final String ENCODED_KEY = "uploads/Summer 2023/café + friends@beach (1).jpg";

    static byte[] photo() {
        try (InputStream in = EventsHandlerTest.class.getResourceAsStream("/corpus/images/orient1_Landscape_1.jpg")) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String event(String name) {
        return LambdaEvents.resource("/events/" + name);
    }

    private static void assertRendered(WorkerHarness h, String key, String eTag) {
        PhotoStatus status = h.status(key);
        assertThat(status).as("status of %s", key).isNotNull();
        assertThat(status.state()).isEqualTo(PhotoStatus.State.READY);
        assertThat(status.sourceETag()).isEqualTo(eTag);
        assertThat(status.renditions()).containsKeys("thumb", "medium");
        assertThat(h.keys(h.layout().renditionPrefix(key))).contains(h.layout().renditionPrefix(key) + "thumb.jpg");
    }

    @Test
    void urlEncodedKeyIsDecodedFetchedAndRendered() {
        try (WorkerHarness h = WorkerHarness.forBucket("amzn-s3-demo-bucket", Map.of())) {
            String eTag = h.put(ENCODED_KEY, photo());
            h.send(event("s3_put_key_urlencoded_space_plus_unicode.json"));
            SQSBatchResponse r = h.invoke(h.receive(1));
            assertThat(failedIds(r)).isEmpty();
            // The event's ETag is not the uploaded object's: the conditional GET fails and the current object is used.
            assertRendered(h, ENCODED_KEY, eTag);
            assertThat(h.keys("renditions/Summer 2023/")).contains(
                    "renditions/Summer 2023/café + friends@beach (1).jpg/thumb.jpg",
                    "renditions/Summer 2023/café + friends@beach (1).jpg/_status.json");
            assertThat(h.drainDlq()).isEmpty();
        }
    }

    @Test
    void snsEnvelopeIsUnwrappedAndProcessed() {
        try (WorkerHarness h = WorkerHarness.forBucket("amzn-s3-demo-bucket", Map.of())) {
            String eTag = h.put(ENCODED_KEY, photo());
            h.send(event("sns_envelope_s3_put.json"));
            assertThat(failedIds(h.invoke(h.receive(1)))).isEmpty();
            assertRendered(h, ENCODED_KEY, eTag);
            assertThat(h.logLines()).singleElement().asString().contains("\"shape\":\"sns+s3\"",
                    "\"outcome\":\"done\"");
        }
    }

    @Test
    void awsDocsPutExampleAtTheBucketRoot() {
        // The doc example's key has no prefix: a deployment watching the whole bucket, renditions in another bucket.
        try (WorkerHarness h = WorkerHarness.forBucket("mybucket", Map.of(FunctionEnv.INPUT_PREFIX, "",
                FunctionEnv.OUTPUT_BUCKET, "mybucket-renditions"))) {
            h.s3.createBucket("mybucket-renditions");
            String eTag = h.put("HappyFace.jpg", photo());
            h.send(event("s3_put_docs_example.json"));
            assertThat(failedIds(h.invoke(h.receive(1)))).isEmpty();
            String status = h.s3.client().getObjectAsBytes(b -> b.bucket("mybucket-renditions")
                    .key("renditions/HappyFace.jpg/_status.json")).asUtf8String();
            assertThat(PhotoStatus.fromJson(status).sourceETag()).isEqualTo(eTag);
            assertThat(h.keys("renditions/")).isEmpty(); // nothing written to the input bucket
        }
    }

    @Test
    void testEventIsAcknowledgedAndNothingElseHappens() {
        try (WorkerHarness h = WorkerHarness.create(Map.of())) {
            h.send(event("s3_test_event_docs.json"));
            assertThat(failedIds(h.invoke(h.receive(1)))).isEmpty();
            assertThat(h.drainDlq()).isEmpty();
            assertThat(h.logLines()).singleElement().asString().contains("\"outcome\":\"skipped\"",
                    "\"reasonCode\":\"test-event\"");
            assertThat(h.count("photopipe.messages", "outcome", "skipped", "reason", "test-event")).isEqualTo(1);
        }
    }

    @Test
    void eventBridgeObjectCreatedForAnotherBucketIsSkippedAndForOursProcessed() {
        try (WorkerHarness h = WorkerHarness.create(Map.of())) {
            h.send(event("eventbridge_object_created_docs.json"));
            assertThat(failedIds(h.invoke(h.receive(1)))).isEmpty();
            assertThat(h.logLines()).singleElement().asString().contains("\"reasonCode\":\"not-input\"",
                    "DOC-EXAMPLE-BUCKET1/example-key");

            String key = "uploads/eb/a+b %2B.jpg"; // EventBridge keys are not encoded: this is the literal key
            String eTag = h.put(key, photo());
            h.send(event("eventbridge_object_created_docs.json").replace("DOC-EXAMPLE-BUCKET1", h.bucket)
                    .replace("\"example-key\"", "\"" + key + "\"").replace("b1946ac92492d2347c6235b4d2611184", eTag));
            assertThat(failedIds(h.invoke(h.receive(1)))).isEmpty();
            assertRendered(h, key, eTag);
        }
    }

    @Test
    void powertoolsSqsEventWithAPdfGoesToTheDlqWithItsReason() {
        try (WorkerHarness h = WorkerHarness.forBucket("xxx", Map.of(FunctionEnv.INPUT_PREFIX, "",
                FunctionEnv.OUTPUT_BUCKET, "xxx-renditions"))) {
            h.s3.createBucket("xxx-renditions");
            h.put("test.pdf", "%PDF-1.4\n%âãÏÓ\n1 0 obj << /Type /Catalog >> endobj\n".getBytes());
            SQSEvent event = LambdaEvents.sqsEvent(event("sqs_lambda_event_s3_put_powertools.json"));
            SQSBatchResponse r = h.invoke(event);
            assertThat(failedIds(r)).isEmpty(); // moved to the DLQ, so acknowledged
            Message dead = h.drainDlq().getFirst();
            assertThat(WorkerHarness.reasonCode(dead)).isEqualTo("not-an-image");
            assertThat(WorkerHarness.attr(dead, "photopipe-object")).isEqualTo("xxx/test.pdf");
            assertThat(WorkerHarness.attr(dead, "photopipe-original-message-id"))
                    .isEqualTo("ca3e7a89-c358-40e5-8aa0-5da01403c267");
            assertThat(dead.body()).isEqualTo(event.getRecords().getFirst().getBody());
            PhotoStatus failed = PhotoStatus.fromJson(h.s3.client().getObjectAsBytes(b -> b.bucket("xxx-renditions")
                    .key("renditions/test.pdf/_status.json")).asUtf8String());
            assertThat(failed.state()).isEqualTo(PhotoStatus.State.FAILED);
            assertThat(failed.reasonCode()).isEqualTo("not-an-image");
        }
    }
}
