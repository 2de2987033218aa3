package io.photopipe.worker.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.photopipe.core.MessageAttributes;
import io.photopipe.worker.messages.PhotoEvent;
import io.photopipe.worker.ports.SourceQueue;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/** The arithmetic and bookkeeping of {@link BatchProcessor} that needs no servers. */
class BatchProcessorTest {

    private static Settlement settlement() {
        BatchProcessor.Settings s = new BatchProcessor.Settings(4, Duration.ofSeconds(10), Duration.ofSeconds(2),
                Duration.ofSeconds(30), Duration.ofSeconds(900));
        return new Settlement(s, photosNeverRendering(), (b, a) -> "dlq-id", SourceQueue.NONE,
                new io.photopipe.worker.observe.WorkerMetrics(new io.micrometer.core.instrument.simple.SimpleMeterRegistry()),
                java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
    }

    private static int backoff(int receiveCount) {
        return settlement().backoffSeconds(receiveCount);
    }

    private static PhotoProcessor photosNeverRendering() {
        return new PhotoProcessor(new PhotoProcessor.Settings(new io.photopipe.core.OutputLayout("b", "uploads/", "b",
                "renditions/"), io.photopipe.core.PipelineSettings.defaults().renditions(), "h", 1024, "no-cache"),
                new InMemoryStore(), (photo, renditions) -> {
                    throw new AssertionError("not rendered in these tests");
                }, status -> { });
    }

    @RepeatedTest(5)
    void visibilityBackoffDoublesWithEachReceiveWithJitterAndACap() {
        assertThat(backoff(1)).isBetween(15, 30);
        assertThat(backoff(2)).isBetween(30, 60);
        assertThat(backoff(3)).isBetween(60, 120);
        assertThat(backoff(6)).isBetween(450, 900);
        assertThat(backoff(50)).isBetween(450, 900);
    }

    /**
     * A circuit-open retry was never tried: it waits at least the breaker's open time (30 s), doubling per receive,
     * so the 4 retries of maxReceiveCount 5 span 7.5 to 15 minutes of a storm before the DLQ.
     */
    @RepeatedTest(5)
    void circuitOpenRetriesWaitAtLeastTheOpenTimeAndLongerWithEachReceive() {
        Settlement s = settlement();
        assertThat(s.circuitBackoffSeconds(1)).isBetween(30, 60);
        assertThat(s.circuitBackoffSeconds(2)).isBetween(60, 120);
        assertThat(s.circuitBackoffSeconds(3)).isBetween(120, 240);
        assertThat(s.circuitBackoffSeconds(4)).isBetween(240, 480);
        assertThat(s.circuitBackoffSeconds(9)).isBetween(30, 900);
        int total = 0;
        for (int rc = 1; rc <= 4; rc++) {
            total += s.circuitBackoffSeconds(rc);
        }
        assertThat(total).isBetween(450, 900);
    }

    @Test
    void dlqAttributesPutTheReasonFirstAndStayWithinSqsLimitOfTen() {
        Map<String, String> original = new LinkedHashMap<>();
        for (int i = 0; i < 12; i++) {
            original.put("attr-" + i, "v" + i);
        }
        original.put(MessageAttributes.FORCE, "true");
        QueueMessage m = new QueueMessage("id-1", "rh", "{}", 3, "arn:aws:sqs:us-east-1:1:q", original);
        PhotoEvent e = new PhotoEvent(PhotoEvent.Kind.CREATED, "b", "uploads/a.jpg", "e", 1L, "ObjectCreated:Put",
                false);
        Map<String, String> a = Settlement.dlqAttributes(m, new Outcome.Rejected("truncated",
                "x".repeat(5000)), e, "2026-11-26T00:00:00Z");
        assertThat(a).hasSize(10);
        assertThat(a).containsEntry(MessageAttributes.REASON_CODE, "truncated")
                .containsEntry(MessageAttributes.OBJECT, "b/uploads/a.jpg")
                .containsEntry(MessageAttributes.ORIGINAL_MESSAGE_ID, "id-1")
                .containsEntry(MessageAttributes.FAILED_AT, "2026-11-26T00:00:00Z");
        assertThat(a.get(MessageAttributes.REASON)).hasSize(1000).endsWith("...");
    }

    @Test
    void dlqAttributesCarryOnlyCharactersSqsAccepts() {
        QueueMessage m = new QueueMessage("id-2", "rh", "{}", 1, null, Map.of());
        PhotoEvent e = new PhotoEvent(PhotoEvent.Kind.CREATED, "b", "uploads/bell\u0007 \ud83d\ude00\ud800.jpg", "e",
                1L, "ObjectCreated:Put", false);
        Map<String, String> a = Settlement.dlqAttributes(m, new Outcome.Rejected("unsafe-key", "key\u0000"), e, "t");
        assertThat(a.get(MessageAttributes.OBJECT)).isEqualTo("b/uploads/bell\\u0007 \ud83d\ude00\\ud800.jpg");
        assertThat(a.get(MessageAttributes.REASON)).isEqualTo("key\\u0000");
    }
}
