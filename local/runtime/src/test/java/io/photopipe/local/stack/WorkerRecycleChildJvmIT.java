package io.photopipe.local.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.photopipe.core.FunctionEnv;
import io.photopipe.core.MessageAttributes;
import io.photopipe.core.PipelineSettings;
import io.photopipe.core.S3EventMessages;
import io.photopipe.local.esm.EsmConfig;
import io.photopipe.local.esm.EventSourceMapping;
import io.photopipe.local.esm.ScalingPolicy;
import io.photopipe.local.lambda.FunctionConfig;
import io.photopipe.local.lambda.LambdaOptions;
import io.photopipe.local.lambda.LocalLambda;
import io.photopipe.local.servers.EmbeddedS3;
import io.photopipe.local.servers.EmbeddedSqs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The worker's zombie rule with the real worker jar in child JVMs running the real runtime interface client, behind
 * the emulated event source mapping: a render that overruns the 4 s function timeout and ignores the interrupt (as
 * native code does; {@code worker/src/test/.../testing/StuckHandler} wraps the real handler so that one photo renders
 * forever) is abandoned; when its message comes back to the same environment while the render is still running, the
 * environment exits (status 75), the emulation replaces it, and on its last delivery the message ends in the DLQ with
 * a reason (never lost, never "(none)"). An ImageIO decode of a 100 MP PNG was tried first: it stops at the interrupt,
 * so it makes no zombie.
 *
 * <p>An {@code IT} (two cold starts, about 30 s), so not part of {@code ./photopipe test}. Run it with
 * {@code ./mvnw -pl worker -am install -DskipTests && ./mvnw -pl local/runtime test -Dtest=WorkerRecycleChildJvmIT
 * -Dsurefire.failIfNoSpecifiedTests=false} (it needs the worker jar and the worker's test classes).
 */
class WorkerRecycleChildJvmIT {

    @Test
    void anAbandonedRenderStillRunningRecyclesTheEnvironmentAndTheMessageEndsWithAReason()
            throws Exception {
        Path root = LocalOptions.findProjectRoot(Path.of(""));
        Path jar = root.resolve(LocalOptions.WORKER_JAR);
        Path workerTestClasses = root.resolve("worker/target/test-classes");
        // kept after the run (target/), for a look at what the environments did
        Path logDir = Path.of("target", "lambda-logs", "recycle-" + System.currentTimeMillis());
        PipelineSettings settings = PipelineSettings.fromJson("""
                {"worker": {"memoryMb": 1024, "timeoutSeconds": 4, "batchSize": 1, "batchingWindowSeconds": 0,
                            "maxConcurrency": 2},
                 "queue": {"visibilityTimeoutSeconds": 30, "maxReceiveCount": 3}}""");
        try (EmbeddedS3 s3 = EmbeddedS3.start(); EmbeddedSqs sqs = EmbeddedSqs.start();
             LocalLambda lambda = LocalLambda.start(LambdaOptions.defaults().withLogDirectory(logDir))) {
            s3.createBucket(settings.bucket());
            EmbeddedSqs.QueuePair q = sqs.createQueueWithDlq("recycle", "recycle-dlq", 3, 30);
            Map<String, String> env = new HashMap<>(FunctionEnv.worker(settings, q.dlqUrl(), ""));
            env.put("AWS_ENDPOINT_URL_S3", s3.endpoint().toString());
            env.put("AWS_ENDPOINT_URL_SQS", sqs.endpoint().toString());
            env.put("PHOTOPIPE_METRICS", "none");
            env.put("PHOTOPIPE_SAFETY_MARGIN_MS", "0");
            env.put("PHOTOPIPE_FINISH_MARGIN_MS", "1000");
            env.put("PHOTOPIPE_ABANDONED_GRACE_MS", "200");
            env.put("PHOTOPIPE_VISIBILITY_BACKOFF_SECONDS", "1");
            env.put("PHOTOPIPE_VISIBILITY_BACKOFF_MAX_SECONDS", "1");
            lambda.register(new FunctionConfig("worker", workerTestClasses,
                    "io.photopipe.worker.testing.StuckHandler::handleRequest", 1024, 4, env, List.of(jar)));

            byte[] stuck = markedPhoto();
            String key = "uploads/recycle/stuck.jpg";
            String eTag = S3EventMessages.stripQuotes(s3.client().putObject(b -> b.bucket(settings.bucket()).key(key),
                    RequestBody.fromBytes(stuck)).eTag());
            long size = stuck.length;
            sqs.client().sendMessage(b -> b.queueUrl(q.queueUrl()).messageBody(S3EventMessages.notification(List.of(
                    new S3EventMessages.ObjectEvent("ObjectCreated:Put", Instant.now(), "us-east-1",
                            settings.bucket(), key, size, eTag, null, null, null, null, null, null)))));
            try (EventSourceMapping esm = EventSourceMapping.start(sqs.client(), lambda, new EsmConfig("worker",
                    q.queueUrl(), q.queueArn(), 1, 0, 2, true, List.of(), ScalingPolicy.aws()))) {
                await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1)).until(() ->
                        !sqs.client().receiveMessage(b -> b.queueUrl(q.dlqUrl()).messageAttributeNames("All")
                                .visibilityTimeout(0)).messages().isEmpty());
            }
            Message inDlq = sqs.client().receiveMessage(b -> b.queueUrl(q.dlqUrl()).messageAttributeNames("All"))
                    .messages().getFirst();
            String logs;
            try (var files = Files.walk(logDir)) {
                StringBuilder all = new StringBuilder();
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    all.append(Files.readString(f));
                }
                logs = all.toString();
            }
            assertThat(logs).contains("recycling the execution environment", "exited with status 75",
                    "Error Type: Runtime.ExitError");
            assertThat(lambda.stats().function("worker").crashes()).as(logs).isGreaterThanOrEqualTo(1);
            assertThat(inDlq.messageAttributes().get(MessageAttributes.REASON_CODE)).as(logs).isNotNull();
            assertThat(inDlq.messageAttributes().get(MessageAttributes.REASON_CODE).stringValue())
                    .isIn("timed-out", "retries-exhausted:environment-recycled");
        }
    }

    /** The photo StuckHandler never finishes: {@code Photos.jpeg(61, 41, 7)} of the worker's tests. */
    static byte[] markedPhoto() throws IOException {
        java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(61, 41,
                java.awt.image.BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = img.createGraphics();
        g.setPaint(new java.awt.GradientPaint(0, 0, new java.awt.Color(7 * 40 % 256, 90, 200), 61, 41,
                new java.awt.Color(250, 7 * 70 % 256, 30)));
        g.fillRect(0, 0, 61, 41);
        g.dispose();
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        javax.imageio.ImageIO.write(img, "jpeg", out);
        return out.toByteArray();
    }
}
