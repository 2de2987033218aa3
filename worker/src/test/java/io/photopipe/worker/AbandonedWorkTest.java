package io.photopipe.worker;

import static io.photopipe.worker.testing.WorkerHarness.failedIds;
import static io.photopipe.worker.testing.WorkerHarness.reasonCode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.photopipe.core.FunctionEnv;
import io.photopipe.core.PhotoStatus;
import io.photopipe.worker.testing.Photos;
import io.photopipe.worker.testing.WorkerHarness;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * No zombie work: a render that does not stop when it is abandoned at the deadline (CPU-bound and native code ignore
 * interrupts) makes the next invocation recycle the environment instead of running beside it, and no message of that
 * invocation is lost or acknowledged without a DLQ copy.
 */
class AbandonedWorkTest {

    @Test
    void aRenderStillRunningAtTheNextInvocationRecyclesTheEnvironmentAndLosesNoMessage() throws Exception {
        byte[] stuck = Photos.jpeg(60, 40, 9);
        CountDownLatch release = new CountDownLatch(1);
        Map<String, String> env = Map.of(FunctionEnv.RENDITIONS, Photos.SMALL_PRESETS,
                WorkerConfig.SAFETY_MARGIN_MS, "500", WorkerConfig.FINISH_MARGIN_MS, "500",
                WorkerConfig.ABANDONED_GRACE_MS, "300",
                WorkerConfig.VISIBILITY_BACKOFF_SECONDS, "1", WorkerConfig.VISIBILITY_BACKOFF_MAX_SECONDS, "1");
        try (WorkerHarness h = WorkerHarness.create(WorkerHarness.Options.of(env).withQueue(2, 30)
                .withRenderer(engine -> (photo, renditions) -> {
                    if (Arrays.equals(photo, stuck)) {
                        uninterruptibly(release);
                    }
                    return engine.render(photo, renditions);
                }))) {
            String zombieKey = "uploads/zombie/stuck.jpg";
            String zombie = h.sendCreated(zombieKey, h.put(zombieKey, stuck));

            // 1. The render outlives the invocation: abandoned at the deadline, recorded as timed out.
            assertThat(failedIds(h.invoke(h.receive(1), 2_500))).containsExactly(zombie);
            assertThat(h.logLines()).singleElement().asString().contains("\"reasonCode\":\"timed-out\"");
            assertThat(h.attempts(zombieKey).latest(zombie)).hasValueSatisfying(a ->
                    assertThat(a.result()).isEqualTo("timed-out"));
            assertThat(h.worker.batch().abandoned().count()).isEqualTo(1);

            // 2. The next invocation finds it still running: nothing starts, the environment is recycled.
            String nextKey = "uploads/zombie/next.jpg";
            String next = h.sendCreated(nextKey, h.put(nextKey, Photos.jpeg(60, 40, 1)));
            h.invoke(h.receive(2)); // the zombie's message is back (receive 2 of 2) with the new one
            assertThat(h.recycles.get()).isEqualTo(1);
            assertThat(h.batchLines()).last().asString().contains("\"recycle\":true", "\"abandoned\":1");
            // The message on its last delivery was moved to the DLQ with the reason, and deleted by the worker
            // itself (the invocation fails, so the event source mapping deletes nothing).
            assertThat(h.drainDlq()).singleElement().satisfies(m -> {
                assertThat(reasonCode(m)).isEqualTo("retries-exhausted:environment-recycled");
                assertThat(WorkerHarness.attr(m, "photopipe-original-message-id")).isEqualTo(zombie);
            });
            // The other one was not started and is visible again at once, for another environment.
            var back = h.receive(1);
            assertThat(back.getRecords()).singleElement().satisfies(r -> {
                assertThat(r.getMessageId()).isEqualTo(next);
                assertThat(r.getAttributes()).containsEntry("ApproximateReceiveCount", "2");
            });
            assertThat(h.status(nextKey)).isNull();

            // 3. Once the abandoned work has ended, the environment works normally again.
            release.countDown();
            await().atMost(Duration.ofSeconds(20)).until(() -> h.worker.batch().abandoned().count() == 0);
            assertThat(failedIds(h.invoke(back))).isEmpty();
            assertThat(h.recycles.get()).isEqualTo(1);
            assertThat(h.status(nextKey).state()).isEqualTo(PhotoStatus.State.READY);
            // Our own cancellation of the abandoned work never counted against S3.
            assertThat(h.worker.s3Reads().breaker().getMetrics().getNumberOfFailedCalls()).isZero();
            assertThat(h.worker.s3Writes().breaker().getMetrics().getNumberOfFailedCalls()).isZero();
        } finally {
            release.countDown();
        }
    }

    /** Like CPU-bound decoding or native code: an interrupt does not stop it. */
    private static void uninterruptibly(CountDownLatch latch) {
        boolean interrupted = false;
        while (true) {
            try {
                if (latch.await(50, TimeUnit.MILLISECONDS)) {
                    break;
                }
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
