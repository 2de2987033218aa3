package io.photopipe.local.stack;

import static io.photopipe.local.stack.TestStacks.SETTINGS;
import static io.photopipe.local.stack.TestStacks.awaitStatus;
import static io.photopipe.local.stack.TestStacks.photo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.photopipe.core.MessageAttributes;
import io.photopipe.core.PhotoStatus;
import io.photopipe.core.Rendition;
import io.photopipe.local.lambda.LambdaOptions;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The whole pipeline, end to end, as a user meets it: every way of putting a photo into S3 ends with its renditions
 * and a READY status; a corrupt photo ends in the DLQ with its reason; deleting a photo removes its renditions.
 * The worker runs from its deployment jar in child JVMs with the real Lambda runtime interface client, fed by the
 * event source mapping from S3's notifications.
 */
class PipelineEndToEndTest {
    private static final Duration PATIENCE = Duration.ofSeconds(120); // 2 shared cores, cold JVMs

    @TempDir
    static Path dataDir;
    static LocalStack stack;
    static S3Client s3;
    static String bucket;

    @BeforeAll
    static void start() {
        stack = LocalStack.start(SETTINGS, LocalOptions.ephemeral(TestStacks.projectRoot(), dataDir)
                .withFunctionMode(LambdaOptions.Mode.CHILD_JVM));
        s3 = stack.s3().client();
        bucket = SETTINGS.bucket();
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }                                       // for ElasticMQ's in-flight long polls
    }

    /** Every rendition of the settings exists and is not empty; the status lists them all. */
    private static void assertRenditions(String key) {
        PhotoStatus status = awaitStatus(s3, SETTINGS, key, PATIENCE);
        assertThat(status.state()).as("status of %s: %s", key, status).isEqualTo(PhotoStatus.State.READY);
        assertThat(status.renditions()).containsOnlyKeys(SETTINGS.renditions().stream().map(Rendition::name)
                .toArray(String[]::new));
        for (Rendition r : SETTINGS.renditions()) {
            HeadObjectResponse head = s3.headObject(b -> b.bucket(SETTINGS.effectiveOutputBucket())
                    .key(SETTINGS.layout().renditionKey(key, r)));
            assertThat(head.contentLength()).as(r.name()).isPositive();
            assertThat(head.contentType()).as(r.name()).isEqualTo(r.format().contentType());
        }
    }

    @Test
    void aPhotoPutWithTheSdkGetsItsRenditions() {
        String key = SETTINGS.inputPrefix() + "sdk/landscape.jpg";
        s3.putObject(b -> b.bucket(bucket).key(key).contentType("image/jpeg"),
                RequestBody.fromBytes(photo("landscape.jpg")));
        assertRenditions(key);
        // The worker ran in a child JVM environment of the emulated Lambda (a cold start at least).
        assertThat(stack.metrics().coldStarts()).isPositive();
        assertThat(stack.metrics().invocations()).isPositive();
    }

    @Test
    void aPhotoPutWithTheAwsCliGetsItsRenditions() throws Exception {
        Path cli = AwsCommand.findCli();
        Assumptions.assumeTrue(cli != null, "the AWS CLI is not installed (apt-get install awscli; .ci/run does it):"
                + " skipping the upload through an independent client");
        String key = SETTINGS.inputPrefix() + "cli/starfish photo.jpg";
        List<String> cmd = AwsCommand.commandLine(cli.toString(), List.of("s3", "cp",
                TestStacks.photoFile("starfish.jpg").toString(), "s3://" + bucket + "/" + key, "--no-progress"),
                stack.envVariables());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(AwsCommand.environment(System.getenv()));
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
        assertRenditions(key);
    }

    @Test
    void aMultipartUploadGetsItsRenditions() {
        String key = SETTINGS.inputPrefix() + "multipart/starfish.jpg";
        byte[] bytes = photo("starfish.jpg");
        String uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key(key).contentType("image/jpeg"))
                .uploadId();
        // One part: the last (here only) part may be smaller than 5 MB.
        String eTag = s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(1),
                RequestBody.fromBytes(bytes)).eTag();
        s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId)
                .multipartUpload(m -> m.parts(CompletedPart.builder().partNumber(1).eTag(eTag).build())));
        assertRenditions(key);
    }

    @Test
    void aPresignedPutGetsItsRenditions() throws Exception {
        String key = SETTINGS.inputPrefix() + "presigned/testorig.jpg";
        var presigned = stack.s3().presigner().presignPutObject(p -> p.signatureDuration(Duration.ofMinutes(5))
                .putObjectRequest(b -> b.bucket(bucket).key(key).contentType("image/jpeg")));
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(presigned.url().toURI())
                    .header("Content-Type", "image/jpeg")
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(photo("testorig.jpg"))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        }
        assertRenditions(key);
    }

    @Test
    void aCopiedPhotoGetsItsRenditions() {
        s3.putObject(b -> b.bucket(bucket).key("library/landscape.jpg"), RequestBody.fromBytes(photo("landscape.jpg")));
        String key = SETTINGS.inputPrefix() + "copied/landscape.jpg";
        s3.copyObject(b -> b.sourceBucket(bucket).sourceKey("library/landscape.jpg").destinationBucket(bucket)
                .destinationKey(key));
        assertRenditions(key);
    }

    @Test
    void aCorruptPhotoEndsInTheDlqWithItsReason() {
        String key = SETTINGS.inputPrefix() + "bad/not-a-photo.jpg";
        s3.putObject(b -> b.bucket(bucket).key(key).contentType("image/jpeg"),
                RequestBody.fromBytes(photo("not-a-photo.jpg")));

        PhotoStatus status = awaitStatus(s3, SETTINGS, key, PATIENCE);
        assertThat(status.state()).isEqualTo(PhotoStatus.State.FAILED);
        assertThat(status.reason()).isNotBlank();

        List<Message> dlq = new ArrayList<>();
        await().atMost(PATIENCE).until(() -> {
            dlq.addAll(stack.sqs().client().receiveMessage(b -> b.queueUrl(stack.queues().dlqUrl())
                    .messageAttributeNames("All").maxNumberOfMessages(10).waitTimeSeconds(1)
                    .visibilityTimeout(1)).messages());
            return dlq.stream().anyMatch(m -> m.messageAttributes().containsKey(MessageAttributes.OBJECT)
                    && m.messageAttributes().get(MessageAttributes.OBJECT).stringValue().equals(bucket + "/" + key));
        });
        Message failed = dlq.stream().filter(m -> m.messageAttributes().get(MessageAttributes.OBJECT).stringValue()
                .equals(bucket + "/" + key)).findFirst().orElseThrow();
        assertThat(failed.messageAttributes().get(MessageAttributes.REASON_CODE).stringValue())
                .isEqualTo(status.reasonCode());
        assertThat(failed.messageAttributes().get(MessageAttributes.REASON).stringValue()).isNotBlank();
        assertThat(failed.body()).contains("ObjectCreated:Put"); // the original notification, kept for redrive
    }

    @Test
    void deletingAPhotoRemovesItsRenditions() {
        String key = SETTINGS.inputPrefix() + "deleted/testorig.jpg";
        s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(photo("testorig.jpg")));
        assertRenditions(key);

        s3.deleteObject(b -> b.bucket(bucket).key(key));
        String prefix = SETTINGS.layout().renditionPrefix(key);
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(250)).until(() -> s3.listObjectsV2(b -> b
                .bucket(SETTINGS.effectiveOutputBucket()).prefix(prefix)).keyCount() == 0);
    }

    @Test
    void theEnvFileWouldPointAnSdkAtThisStack() {
        Map<String, String> env = stack.envVariables();
        assertThat(env).containsEntry("AWS_ENDPOINT_URL_S3", stack.s3().endpoint().toString())
                .containsEntry("AWS_ENDPOINT_URL_SQS", stack.sqs().endpoint().toString())
                .containsEntry("AWS_ACCESS_KEY_ID", "photopipe").containsEntry("AWS_REGION", "us-east-1")
                .containsEntry("AWS_EC2_METADATA_DISABLED", "true")
                .containsEntry("PHOTOPIPE_QUEUE_URL", stack.queues().queueUrl());
        Path file = dataDir.resolve("local.env");
        LocalEnvFile.write(file, env);
        assertThat(AwsCommand.readEnvFile(file)).isEqualTo(env);
        assertThat(Files.exists(file)).isTrue();
    }
}
