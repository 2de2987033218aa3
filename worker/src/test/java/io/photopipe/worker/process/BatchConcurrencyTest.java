package io.photopipe.worker.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.photopipe.core.OutputLayout;
import io.photopipe.core.PipelineSettings;
import io.photopipe.core.S3EventMessages;
import io.photopipe.worker.engine.ImageInfo;
import io.photopipe.worker.engine.RenderResult;
import io.photopipe.worker.messages.MessageParser;
import io.photopipe.worker.observe.OutcomeLog;
import io.photopipe.worker.observe.WorkerMetrics;
import io.photopipe.worker.ports.SourceQueue;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Parallelism of a batch, with our own ports in memory (no AWS semantics needed for this). */
class BatchConcurrencyTest {
    private final InMemoryStore store = new InMemoryStore();
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger maxRunning = new AtomicInteger();
    private final List<String> order = Collections.synchronizedList(new ArrayList<>());

    private BatchProcessor processor(int concurrency) {
        PhotoProcessor photos = new PhotoProcessor(new PhotoProcessor.Settings(
                new OutputLayout("b", "uploads/", "b", "renditions/"), PipelineSettings.defaults().renditions(),
                "h", 1 << 20, "no-cache"), store, (photo, renditions) -> {
                    int now = running.incrementAndGet();
                    maxRunning.accumulateAndGet(now, Math::max);
                    order.add(new String(photo));
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    running.decrementAndGet();
                    return new RenderResult(new ImageInfo("jpeg", 10, 10, 1, false, 1), List.of(), 100);
                }, status -> { });
        return new BatchProcessor(new BatchProcessor.Settings(concurrency, Duration.ZERO, Duration.ZERO,
                Duration.ofSeconds(1), Duration.ofSeconds(1)), new MessageParser(), photos, (body, attrs) -> "dlq-id",
                SourceQueue.NONE, new WorkerMetrics(new SimpleMeterRegistry()),
                new OutcomeLog(new PrintStream(OutputStream.nullOutputStream())));
    }

    private QueueMessage created(String id, String key) {
        return new QueueMessage(id, "rh-" + id, S3EventMessages.notification(List.of(new S3EventMessages.ObjectEvent(
                "ObjectCreated:Put", Instant.now(), null, "b", key, 1L, null, null, null, null, null, null, null))),
                1, null, Map.of());
    }

    @Test
    void photosRunInParallelButNeverMoreThanTheConcurrency() {
        List<QueueMessage> batch = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            store.put("b", "uploads/" + i + ".jpg", ("photo-" + i).getBytes(), "image/jpeg", "", Map.of());
            batch.add(created("m" + i, "uploads/" + i + ".jpg"));
        }
        BatchProcessor.Result r = processor(3).process(batch, Deadline.none());
        assertThat(r.failedMessageIds()).isEmpty();
        assertThat(r.outcomes().values()).allSatisfy(o -> assertThat(o).isInstanceOf(Outcome.Done.class));
        assertThat(maxRunning.get()).isEqualTo(3);
    }

    @Test
    void eventsAboutOneObjectRunOneAfterAnother() {
        store.put("b", "uploads/same.jpg", "v1".getBytes(), "image/jpeg", "", Map.of());
        List<QueueMessage> batch = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            // Different messages, same object: forced so each really renders.
            batch.add(new QueueMessage("f" + i, "rh", S3EventMessages.notification(List.of(
                    new S3EventMessages.ObjectEvent("ObjectCreated:Put", Instant.now(), null, "b", "uploads/same.jpg",
                            1L, "etag-" + i, null, null, null, null, null, null))), 1, null,
                    Map.of("photopipe-force", "true")));
        }
        processor(4).process(batch, Deadline.none());
        assertThat(order).hasSize(3);
        assertThat(maxRunning.get()).isEqualTo(1);
    }
}
