package io.photopipe.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.photopipe.core.AttemptRecord;
import io.photopipe.core.FunctionEnv;
import io.photopipe.worker.testing.ChildWorker;
import io.photopipe.worker.testing.LambdaEvents;
import io.photopipe.worker.testing.Photos;
import io.photopipe.worker.testing.WorkerHarness;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * What a worker process leaves behind when it dies or runs out of memory, with the worker in a JVM of its own
 * ({@link ChildWorker}) against the same embedded S3 and SQS.
 */
class EnvironmentDeathTest {

    private static Map<String, String> childEnv(WorkerHarness h, String environment) {
        Map<String, String> env = new HashMap<>(h.env);
        env.put(WorkerConfig.AWS_LAMBDA_LOG_STREAM_NAME, environment);
        return env;
    }

    private static Path eventFile(Path dir, WorkerHarness h, int count) throws Exception {
        Path f = dir.resolve("event-" + System.nanoTime() + ".json");
        List<Message> got = new java.util.ArrayList<>();
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            got.addAll(h.sqs.client().receiveMessage(b -> b.queueUrl(h.queues.queueUrl()).waitTimeSeconds(1)
                    .maxNumberOfMessages(count - got.size()).messageSystemAttributeNames(MessageSystemAttributeName.ALL)
                    .messageAttributeNames("All")).messages());
            return got.size() >= count;
        });
        Files.writeString(f, LambdaEvents.sqsEventJson(got, h.queues.queueArn()), StandardCharsets.UTF_8);
        return f;
    }

    @Test
    void anEnvironmentKilledOnTheLastDeliveryLeavesARecordThatNamesTheCrash(@TempDir Path dir) throws Exception {
        // maxReceiveCount 1: the first delivery is the last, so the queue moves the message when the worker dies.
        try (WorkerHarness h = WorkerHarness.create(WorkerHarness.Options.of(Map.of(FunctionEnv.RENDITIONS,
                Photos.SMALL_PRESETS)).withQueue(1, 2))) {
            String key = "uploads/killed/photo.jpg";
            String id = h.sendCreated(key, h.put(key, ChildWorker.marked()));
            Path out = dir.resolve("child.log");
            Process child = ChildWorker.start(List.of("-Xmx256m"), childEnv(h, "2026/12/08/[$LATEST]killed"), out,
                    "stuck", eventFile(dir, h, 1).toString(), "60000");
            try {
                // The attempt is on S3 before the render starts; then the environment is killed (SIGKILL).
                await().atMost(Duration.ofSeconds(60)).until(() -> Files.readString(out).contains("rendering the marked"));
                assertThat(h.attempts(key).latest(id)).hasValueSatisfying(a -> {
                    assertThat(a.endedAt()).isNull();
                    assertThat(a.environment()).isEqualTo("2026/12/08/[$LATEST]killed");
                    assertThat(a.lastReceive()).isTrue();
                });
            } finally {
                child.destroyForcibly();
                child.waitFor(10, TimeUnit.SECONDS);
            }
            // Back after its visibility timeout, over maxReceiveCount: the queue moves it, without any reason.
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                h.sqs.client().receiveMessage(b -> b.queueUrl(h.queues.queueUrl()).waitTimeSeconds(1));
                return Long.parseLong(h.sqs.client().getQueueAttributes(b -> b.queueUrl(h.queues.dlqUrl())
                        .attributeNamesWithStrings("ApproximateNumberOfMessages")).attributesAsStrings()
                        .get("ApproximateNumberOfMessages")) == 1;
            });
            Message moved = h.drainDlq().getFirst();
            assertThat(WorkerHarness.reasonCode(moved)).isNull();
            assertThat(moved.messageId()).as("the queue keeps the message id when it moves a message").isEqualTo(id);
            // The attempt record still names it: what dlq list, the status API and a ledger read.
            AttemptRecord record = h.attempts(key);
            AttemptRecord.Attempt a = record.latest(id).orElseThrow();
            assertThat(record.reasonFor(moved.messageId(), a.deadline().plusSeconds(31)))
                    .hasValue("crashed-during-render");
            assertThat(record.finalFailure(a.sourceETag(), a.deadline().plusSeconds(31)))
                    .hasValueSatisfying(f -> assertThat(f.reason()).contains("crashed-during-render on delivery 1 of 1",
                            "environment 2026/12/08/[$LATEST]killed"));
            assertThat(h.status(key)).isNull();

            // Redriven by a move task, it is tried again like any message, not refused because of the old attempt.
            h.sqs.client().changeMessageVisibility(b -> b.queueUrl(h.queues.dlqUrl()).receiptHandle(moved.receiptHandle())
                    .visibilityTimeout(0));
            h.sqs.client().startMessageMoveTask(b -> b.sourceArn(h.queues.dlqArn()).destinationArn(h.queues.queueArn()));
            var back = h.receive(1);
            // ElasticMQ keeps the id and restarts the count (AWS gives redriven messages a new id): a new life of the
            // message, whose record starts afresh.
            assertThat(back.getRecords().getFirst().getAttributes()).containsEntry("ApproximateReceiveCount", "1");
            assertThat(WorkerHarness.failedIds(h.invoke(back))).isEmpty();
            assertThat(h.status(key).state()).isEqualTo(io.photopipe.core.PhotoStatus.State.READY);
        }
    }

    @Test
    void anOutOfMemoryErrorInADecoderIsARetryNotACorruptPhoto(@TempDir Path dir) throws Exception {
        try (WorkerHarness h = WorkerHarness.create(Map.of(FunctionEnv.RENDITIONS, Photos.SMALL_PRESETS))) {
            String heavy = "uploads/oom/heavy.jpg";
            String light = "uploads/oom/light.jpg";
            String heavyId = h.sendCreated(heavy, h.put(heavy, ChildWorker.marked()));
            h.sendCreated(light, h.put(light, Photos.jpeg(200, 150, 3)));
            Path out = dir.resolve("child.log");
            Process child = ChildWorker.start(List.of("-Xmx128m"), childEnv(h, "oom-env"), out, "oom",
                    eventFile(dir, h, 2).toString(), "60000");
            assertThat(child.waitFor(120, TimeUnit.SECONDS)).isTrue();
            String log = Files.readString(out);
            assertThat(child.exitValue()).as(log).isZero();
            // One photo ran the heap out; the process lived on, the other photo rendered.
            assertThat(log).contains("failed=[" + heavyId + "]", "\"reasonCode\":\"out-of-memory\"")
                    .doesNotContain("\"reasonCode\":\"corrupt\"");
            assertThat(h.status(heavy)).as("no FAILED status for a transient out-of-memory").isNull();
            assertThat(h.attempts(heavy).latest(heavyId)).hasValueSatisfying(a ->
                    assertThat(a.result()).isEqualTo("out-of-memory"));
            assertThat(h.status(light).state()).isEqualTo(io.photopipe.core.PhotoStatus.State.READY);
            assertThat(h.drainDlq()).isEmpty();
            assertThat(log).contains("\"msg\":\"batch\"", "\"maxRssMb\":");
        }
    }
}
