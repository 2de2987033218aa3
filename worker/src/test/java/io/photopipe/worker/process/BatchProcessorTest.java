package io.photopipe.worker.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.photopipe.core.MessageAttributes;
import io.photopipe.worker.messages.PhotoEvent;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/** The arithmetic and bookkeeping of {@link BatchProcessor} that needs no servers. */
class BatchProcessorTest {

    private static int backoff(int receiveCount) {
        BatchProcessor.Settings s = new BatchProcessor.Settings(4, Duration.ofSeconds(10), Duration.ofSeconds(2),
                Duration.ofSeconds(30), Duration.ofSeconds(900));
        return new BatchProcessor(s, new io.photopipe.worker.messages.MessageParser(), photosNeverRendering(), (b, a) -> { },
                io.photopipe.worker.ports.VisibilityControl.NONE,
                new io.photopipe.worker.observe.WorkerMetrics(new io.micrometer.core.instrument.simple.SimpleMeterRegistry()),
                new io.photopipe.worker.observe.OutcomeLog(System.out)).backoffSeconds(receiveCount);
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
        Map<String, String> a = BatchProcessor.dlqAttributes(m, new Outcome.Rejected("truncated",
                "x".repeat(5000)), e, "2026-11-26T00:00:00Z");
        assertThat(a).hasSize(10);
        assertThat(a).containsEntry(MessageAttributes.REASON_CODE, "truncated")
                .containsEntry(MessageAttributes.OBJECT, "b/uploads/a.jpg")
                .containsEntry(MessageAttributes.ORIGINAL_MESSAGE_ID, "id-1")
                .containsEntry(MessageAttributes.FAILED_AT, "2026-11-26T00:00:00Z");
        assertThat(a.get(MessageAttributes.REASON)).hasSize(1000).endsWith("...");
    }
}
