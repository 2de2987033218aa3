package io.photopipe.producer.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.photopipe.core.PhotoStatus;
import io.photopipe.core.PipelineSettings;
import io.photopipe.local.lambda.LambdaOptions;
import io.photopipe.local.servers.LocalCredentials;
import io.photopipe.local.stack.LocalOptions;
import io.photopipe.local.stack.LocalStack;
import io.photopipe.producer.AwsClients;
import io.photopipe.producer.Photos;
import io.photopipe.producer.ProducerCli;
import io.photopipe.producer.internal.Json;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The producer against the whole local pipeline: S3 notifications into SQS, the event source mapping, the worker jar
 * in child JVMs with the real Lambda runtime client. Photos whose messages ended in the DLQ during an "outage" (the
 * worker was down; the queue moved them after maxReceiveCount receives) are listed by {@code dlq list}, moved back by
 * {@code redrive} (a StartMessageMoveTask), and then processed by the worker; the corrupt one comes back to the DLQ
 * with the worker's reason; {@code status --wait-empty} sees the queue drain.
 */
class RedriveEndToEndTest {
    static final Duration PATIENCE = Duration.ofSeconds(180); // 2 shared cores, cold child JVMs
    static final String SETTINGS_JSON = """
            {"worker": {"memoryMb": 512, "timeoutSeconds": 60, "batchSize": 5, "batchingWindowSeconds": 0,
                        "maxConcurrency": 2},
             "queue": {"visibilityTimeoutSeconds": 360, "maxReceiveCount": 2}}""";
    static final PipelineSettings SETTINGS = PipelineSettings.fromJson(SETTINGS_JSON);

    @TempDir
    static Path dir;
    static LocalStack stack;
    static Path settingsFile;

    @BeforeAll
    static void start() throws Exception {
        settingsFile = dir.resolve("photopipe.json");
        Files.writeString(settingsFile, SETTINGS_JSON);
        // the stack's data (function logs included) stays in target/ for a look after a failure
        Path data = Path.of("target", "e2e-redrive-" + System.currentTimeMillis()).toAbsolutePath();
        stack = LocalStack.start(SETTINGS, LocalOptions.ephemeral(LocalOptions.findProjectRoot(Path.of("")), data).withFunctionMode(LambdaOptions.Mode.CHILD_JVM).withRunWorker(false));
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    record Result(int exitCode, String out, String err) {
        JsonNode json() throws Exception {
            return Json.MAPPER.readTree(out.strip().lines().reduce((a, b) -> b).orElseThrow());
        }
    }

    static Result produce(String... args) {
        ProducerCli cli = new ProducerCli(o -> AwsClients.create(new AwsClients.Options(Region.of(LocalCredentials.REGION),
                stack.s3().endpoint(), stack.sqs().endpoint(), o.maxConnections(), LocalCredentials.provider(),
                Map.<String, String>of()::get)), Map.<String, String>of()::get);
        CommandLine cl = ProducerCli.commandLine(cli);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        String[] all = java.util.stream.Stream.concat(java.util.Arrays.stream(args),
                java.util.stream.Stream.of("--settings", settingsFile.toString())).toArray(String[]::new);
        return new Result(cl.execute(all), out.toString(), err.toString());
    }

    long depth(String url) {
        return Long.parseLong(stack.sqs().client().getQueueAttributes(b -> b.queueUrl(url)
                .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)).attributes()
                .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
    }

    PhotoStatus awaitStatus(String key) {
        String statusKey = SETTINGS.layout().statusKey(key);
        return await().atMost(PATIENCE).pollInterval(Duration.ofMillis(500)).ignoreException(NoSuchKeyException.class)
                .until(() -> PhotoStatus.fromJson(stack.s3().client().getObjectAsBytes(b -> b
                        .bucket(SETTINGS.effectiveOutputBucket()).key(statusKey)).asUtf8String()), s -> true);
    }

    @Test
    void aBurstThroughTheRealUploadApiStoresEveryPhoto() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(stack.apiEndpoint().isPresent(),
                () -> "skipped: " + stack.apiSkippedReason().orElse("no API"));
        int before = stack.s3().client().listObjectsV2(b -> b.bucket(SETTINGS.bucket()).prefix("uploads/"))
                .contents().size();

        Result r = produce("burst", "--via-api", stack.apiEndpoint().orElseThrow().toString(), "--count", "3",
                "--concurrency", "3", "--sizes", "320x240", "--json");

        assertThat(r.exitCode()).as(r.err() + r.out()).isZero();
        assertThat(r.json().path("method").asText()).isEqualTo("api");
        assertThat(r.json().path("uploaded").asInt()).isEqualTo(3);
        assertThat(stack.s3().client().listObjectsV2(b -> b.bucket(SETTINGS.bucket()).prefix("uploads/"))
                .contents()).hasSize(before + 3);
    }

    @Test
    void messagesThatDiedInAnOutageAreRedrivenAndProcessedByTheWorker() throws Exception {
        var s3 = stack.s3().client();
        var sqs = stack.sqs().client();
        String queueUrl = stack.queues().queueUrl();
        String dlqUrl = stack.queues().dlqUrl();
        List<String> good = List.of("uploads/e2e/a.jpg", "uploads/e2e/b.jpg", "uploads/e2e/c.jpg");
        String broken = "uploads/e2e/broken.jpg";
        Random random = new Random(7);
        for (String key : good) {
            s3.putObject(b -> b.bucket(SETTINGS.bucket()).key(key).contentType("image/jpeg"),
                    RequestBody.fromBytes(Photos.jpeg(640, 480, random)));
        }
        s3.putObject(b -> b.bucket(SETTINGS.bucket()).key(broken).contentType("image/jpeg"),
                RequestBody.fromString("this is not a JPEG at all, just text with a .jpg name"));

        // The outage: with no worker, something keeps receiving and never deleting; after maxReceiveCount receives
        // SQS (ElasticMQ) moves each notification to the DLQ, without any photopipe reason.
        await().atMost(PATIENCE).until(() -> {
            sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).visibilityTimeout(0));
            return depth(dlqUrl) >= 4 && depth(queueUrl) == 0;
        });
        Result listed = produce("dlq", "list", "--json");
        assertThat(listed.exitCode()).as(listed.err()).isZero();
        assertThat(listed.json().path("groups").get(0).path("reasonCode").asText()).isEqualTo("(none)");
        assertThat(listed.json().path("groups").get(0).path("count").asInt()).isGreaterThanOrEqualTo(4);

        stack.startWorker();
        Result redrive = produce("redrive", "--json");

        assertThat(redrive.exitCode()).as(redrive.err()).isZero();
        assertThat(redrive.json().path("method").asText()).isEqualTo("move-task");
        assertThat(redrive.json().path("moved").asLong()).isGreaterThanOrEqualTo(4);
        for (String key : good) {
            PhotoStatus status = awaitStatus(key);
            assertThat(status.state()).as(key + ": " + status).isEqualTo(PhotoStatus.State.READY);
            assertThat(s3.headObject(b -> b.bucket(SETTINGS.effectiveOutputBucket())
                    .key(SETTINGS.layout().renditionKey(key, SETTINGS.renditions().getFirst()))).contentLength())
                    .isPositive();
        }
        assertThat(awaitStatus(broken).state()).isEqualTo(PhotoStatus.State.FAILED);

        Result drained = produce("status", "--wait-empty", "--timeout", "120s", "--interval", "500ms", "--json");
        assertThat(drained.exitCode()).as(drained.err()).isZero();
        // the broken photo is back in the DLQ, now with the worker's reason
        Result after = produce("dlq", "list", "--json");
        assertThat(after.json().path("groups")).anySatisfy(g -> {
            assertThat(g.path("reasonCode").asText()).isIn("not-an-image", "corrupt", "unsupported-format");
            assertThat(g.path("objects").toString()).contains("broken.jpg");
        });
    }
}
