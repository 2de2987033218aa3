package io.photopipe.worker;

import static io.photopipe.worker.testing.WorkerHarness.attr;
import static io.photopipe.worker.testing.WorkerHarness.failedIds;
import static io.photopipe.worker.testing.WorkerHarness.reasonCode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.photopipe.core.AttemptRecord;
import io.photopipe.core.FunctionEnv;
import io.photopipe.core.MessageAttributes;
import io.photopipe.core.PhotoStatus;
import io.photopipe.local.servers.S3Faults;
import io.photopipe.worker.testing.Photos;
import io.photopipe.worker.testing.WorkerHarness;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Every message ends done, skipped, or in the DLQ with a reason: on a message's last delivery the worker moves what
 * would fail again to the DLQ itself, and the attempt record explains what earlier deliveries came to.
 */
class LastDeliveryTest {

    /** Seven renditions, as by default, but small. */
    private static final String SEVEN = "[" + String.join(",", IntStream.range(0, 7).mapToObj(i -> "{\"name\":\"r" + i
            + "\",\"width\":" + (40 + i) + ",\"height\":40,\"fit\":\"fit\",\"format\":\"jpeg\",\"quality\":0.8}")
            .toList()) + "]";
    /** Failed messages come back after 1 s. */
    private static final Map<String, String> FAST_RETRY = Map.of(WorkerConfig.VISIBILITY_BACKOFF_SECONDS, "1",
            WorkerConfig.VISIBILITY_BACKOFF_MAX_SECONDS, "1", FunctionEnv.RENDITIONS, SEVEN);

    private static long inQueue(WorkerHarness h) {
        Map<QueueAttributeName, String> q = h.sqs.client().getQueueAttributes(b -> b.queueUrl(h.queues.queueUrl())
                .attributeNames(QueueAttributeName.ALL)).attributes();
        return Long.parseLong(q.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                + Long.parseLong(q.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }

    @Test
    void aPhotoWithSixOfSevenRenditionsWrittenEndsInTheDlqWithTheLastCauseAndAFailedStatus() {
        // The queue's redrive policy says 2; the worker is configured with the default 5: the queue's wins.
        try (WorkerHarness h = WorkerHarness.create(WorkerHarness.Options.of(FAST_RETRY).withQueue(2, 30))) {
            String key = "uploads/last/photo.jpg";
            String id = h.sendCreated(key, h.put(key, Photos.jpeg(320, 240, 1)));
            h.s3.faults().inject(S3Faults.Fault.internalError(), 1.0,
                    S3Faults.RequestMatcher.key("renditions/last/photo\\.jpg/r3\\.jpg").andMethod("PUT"));

            assertThat(failedIds(h.invoke(h.receive(1)))).containsExactly(id);
            assertThat(h.status(key)).isNull();
            // The second delivery is the last: the worker moves it itself instead of leaving it to the queue.
            assertThat(failedIds(h.invoke(h.receive(1)))).isEmpty();

            Message copy = h.drainDlq().getFirst();
            assertThat(reasonCode(copy)).isEqualTo("retries-exhausted:s3-unavailable");
            assertThat(attr(copy, MessageAttributes.REASON)).contains("failed on its last delivery (2 of 2)",
                    "r3.jpg", "attempts: delivery 1: s3-unavailable");
            assertThat(attr(copy, MessageAttributes.ORIGINAL_MESSAGE_ID)).isEqualTo(id);
            PhotoStatus failed = h.status(key);
            assertThat(failed.state()).isEqualTo(PhotoStatus.State.FAILED);
            assertThat(failed.reasonCode()).isEqualTo("retries-exhausted:s3-unavailable");
            assertThat(h.keys("renditions/last/photo.jpg/")).filteredOn(k -> k.matches(".*/r\\d\\.jpg")).hasSize(6);
            assertThat(h.attempts(key).latest(id)).hasValueSatisfying(a -> {
                assertThat(a.receiveCount()).isEqualTo(2);
                assertThat(a.maxReceiveCount()).isEqualTo(2);
                assertThat(a.dlqMessageId()).isEqualTo(copy.messageId());
            });
            assertThat(h.logLines()).filteredOn(l -> l.contains("message moved to the DLQ")).singleElement()
                    .asString().contains("\"dlqMessageId\":\"" + copy.messageId() + "\"");
            // Acknowledged: the queue has nothing left that it could move to the DLQ a second time.
            assertThat(inQueue(h)).isZero();
            assertThat(h.drainDlq()).isEmpty();

            // Redriven (a new message with the DLQ copy's body and attributes), it is tried afresh and renders.
            h.s3.faults().clear();
            Map<String, String> attrs = new HashMap<>();
            copy.messageAttributes().forEach((k, v) -> attrs.put(k, v.stringValue()));
            String redriven = h.send(copy.body(), attrs);
            assertThat(failedIds(h.invoke(h.receive(1)))).isEmpty();
            assertThat(h.status(key).state()).isEqualTo(PhotoStatus.State.READY);
            assertThat(h.logLines()).filteredOn(l -> l.contains(redriven)).singleElement().asString()
                    .contains("\"reasonCode\":\"rendered\"");
        }
    }

    @Test
    void whenS3IsWhatIsDownTheDlqCopyStillCarriesTheReason() {
        try (WorkerHarness h = WorkerHarness.create(WorkerHarness.Options.of(FAST_RETRY).withQueue(1, 30))) {
            String key = "uploads/down/photo.jpg";
            String id = h.sendCreated(key, h.put(key, Photos.jpeg(100, 80, 2)));
            h.s3.faults().inject(S3Faults.Fault.internalError(), 1.0,
                    S3Faults.RequestMatcher.path("/" + h.bucket + "(/.*)?"));
            assertThat(failedIds(h.invoke(h.receive(1)))).isEmpty();
            Message copy = h.drainDlq().getFirst();
            assertThat(reasonCode(copy)).isEqualTo("retries-exhausted:s3-unavailable");
            assertThat(attr(copy, MessageAttributes.OBJECT)).isEqualTo(h.bucket + "/" + key);
            assertThat(attr(copy, MessageAttributes.ORIGINAL_MESSAGE_ID)).isEqualTo(id);
            h.s3.faults().clear();
            assertThat(h.status(key)).as("no status could be written while S3 was down").isNull();
            assertThat(inQueue(h)).isZero();
        }
    }

    @Test
    void aPhotoWhoseEarlierDeliveriesDiedIsNotRenderedAgainOnItsLastDelivery() {
        try (WorkerHarness h = WorkerHarness.create(WorkerHarness.Options.of(FAST_RETRY)
                .withRenderer(engine -> (photo, renditions) -> {
                    throw new AssertionError("rendered again after two deaths");
                }).withQueue(3, 1))) {
            String key = "uploads/died/photo.jpg";
            String eTag = h.put(key, Photos.jpeg(100, 80, 3));
            String id = h.sendCreated(key, eTag);
            // Two deliveries went to environments that died in the render: received, never answered.
            for (int rc = 1; rc <= 2; rc++) {
                int expected = rc;
                await().atMost(Duration.ofSeconds(10)).until(() -> !h.sqs.client().receiveMessage(b -> b
                        .queueUrl(h.queues.queueUrl()).waitTimeSeconds(1).visibilityTimeout(1)).messages().isEmpty());
                Instant started = Instant.now().minus(Duration.ofMinutes(10 - expected));
                writeAttempt(h, key, AttemptRecord.Attempt.started(id, expected, 3, eTag,
                        "2026/12/08/[$LATEST]env" + expected, started, started.plusSeconds(60)));
            }
            var last = h.receive(1);
            assertThat(last.getRecords().getFirst().getAttributes()).containsEntry("ApproximateReceiveCount", "3");
            assertThat(failedIds(h.invoke(last))).isEmpty();

            Message copy = h.drainDlq().getFirst();
            assertThat(reasonCode(copy)).isEqualTo("crashed-during-render");
            assertThat(attr(copy, MessageAttributes.REASON)).contains("not rendered again on its last delivery (3 of 3)",
                    "delivery 1: crashed-during-render (environment 2026/12/08/[$LATEST]env1",
                    "delivery 2: crashed-during-render (environment 2026/12/08/[$LATEST]env2");
            assertThat(h.status(key).reasonCode()).isEqualTo("crashed-during-render");
            assertThat(h.attempts(key).reasonFor(id, Instant.now())).hasValue("crashed-during-render");
        }
    }

    private static void writeAttempt(WorkerHarness h, String key, AttemptRecord.Attempt a) {
        AttemptRecord r = h.attempts(key);
        AttemptRecord next = (r == null ? AttemptRecord.empty(h.bucket, key) : r).with(a);
        h.s3.client().putObject(b -> b.bucket(h.bucket).key(h.layout().attemptKey(key)),
                RequestBody.fromString(next.toJson(), StandardCharsets.UTF_8));
    }

    @Test
    void aDlqCopyWhoseAcknowledgementWasLostIsNotCopiedAgain() {
        try (WorkerHarness h = WorkerHarness.create(FAST_RETRY)) {
            String key = "uploads/twice/page.jpg";
            String id = h.sendCreated(key, h.put(key, "<html>not a photo</html>".getBytes(StandardCharsets.UTF_8)));
            var first = h.receive(1);
            // Answered, but the mapping's delete never happened (the acknowledgement was lost): it comes back.
            assertThat(failedIds(h.handler.handleRequest(first, io.photopipe.worker.testing.LambdaEvents.context(60_000))))
                    .isEmpty();
            h.sqs.client().changeMessageVisibility(b -> b.queueUrl(h.queues.queueUrl())
                    .receiptHandle(first.getRecords().getFirst().getReceiptHandle()).visibilityTimeout(0));
            assertThat(failedIds(h.invoke(h.receive(1)))).isEmpty();
            assertThat(h.logLines()).filteredOn(l -> l.contains(id)).last().asString()
                    .contains("\"reasonCode\":\"already-in-dlq\"", "moved to the DLQ on delivery 1");
            List<Message> copies = h.drainDlq();
            assertThat(copies).singleElement().satisfies(m -> assertThat(reasonCode(m)).isEqualTo("not-an-image"));
            assertThat(inQueue(h)).isZero();
        }
    }
}
