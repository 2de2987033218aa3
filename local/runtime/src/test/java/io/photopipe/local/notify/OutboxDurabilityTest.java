package io.photopipe.local.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.photopipe.local.servers.EmbeddedS3;
import io.photopipe.local.servers.EmbeddedSqs;
import io.photopipe.local.servers.LocalCredentials;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/** A notification is never lost while SQS is unavailable, nor when this process restarts before SQS is back. */
class OutboxDurabilityTest {
    @TempDir
    Path dir;

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** A client of our own, so it outlives the servers it talks to; no SDK retries: the outbox retries. */
    private static SqsClient clientFor(int port) {
        return SqsClient.builder().endpointOverride(java.net.URI.create("http://127.0.0.1:" + port))
                .region(software.amazon.awssdk.regions.Region.of(LocalCredentials.REGION))
                .credentialsProvider(LocalCredentials.provider())
                .overrideConfiguration(o -> o.retryStrategy(RetryMode.STANDARD).apiCallTimeout(Duration.ofSeconds(5)))
                .build();
    }

    private static List<Message> awaitMessages(EmbeddedSqs sqs, String queueUrl, int count) {
        List<Message> got = new java.util.ArrayList<>();
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            got.addAll(sqs.client().receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10)
                    .waitTimeSeconds(1)).messages());
            return got.size() >= count;
        });
        return got;
    }

    @Test
    void notificationsWaitInTheOutboxWhileSqsIsDownAndArriveWhenItIsBack() throws Exception {
        int sqsPort = freePort();
        EmbeddedSqs sqs = EmbeddedSqs.start(EmbeddedSqs.Options.defaults().withPort(sqsPort));
        String queueUrl = sqs.createQueue("uploads", Map.of());
        String arn = sqs.arnOf(queueUrl);
        try (SqsClient client = clientFor(sqsPort);
             NotificationService notifications = NotificationService.start(dir.resolve("n"), client, "us-east-1");
             EmbeddedS3 s3 = EmbeddedS3.start(EmbeddedS3.Options.builder().dataDir(dir.resolve("s3"))
                     .blobStoreDecorator(notifications.decorator()).build())) {
            s3.createBucket("photos");
            notifications.configure(new NotificationConfiguration("photos", List.of(new NotificationRule("r",
                    List.of("s3:ObjectCreated:*"), "uploads/", "", arn))));
            awaitMessages(sqs, queueUrl, 1); // the test event: the path works
            sqs.close();

            s3.client().putObject(b -> b.bucket("photos").key("uploads/while-down.jpg"),
                    RequestBody.fromBytes(new byte[42]));
            // S3 answered; the event waits, the sender keeps failing and retrying.
            await().atMost(Duration.ofSeconds(30)).until(() -> notifications.stats().failedAttempts() >= 2);
            assertThat(notifications.stats().pending()).isEqualTo(1);

            // SQS comes back (an in-memory one: the queue is recreated, as after a redeploy).
            EmbeddedSqs again = EmbeddedSqs.start(EmbeddedSqs.Options.defaults().withPort(sqsPort));
            try {
                String url = again.createQueue("uploads", Map.of());
                List<Message> got = awaitMessages(again, url, 1);
                assertThat(got.getFirst().body()).contains("uploads/while-down.jpg").contains("ObjectCreated:Put");
                await().atMost(Duration.ofSeconds(10)).until(() -> notifications.stats().pending() == 0);
            } finally {
                again.close();
            }
        }
    }

    @Test
    void notificationsLeftInTheOutboxAreSentByTheNextProcess() throws Exception {
        int deadPort = freePort(); // nothing listens here: SQS is "down" for the first run
        try (SqsClient dead = clientFor(deadPort);
             NotificationService first = NotificationService.start(dir.resolve("n"), dead, "us-east-1");
             EmbeddedS3 s3 = EmbeddedS3.start(EmbeddedS3.Options.builder().dataDir(dir.resolve("s3"))
                     .blobStoreDecorator(first.decorator()).build())) {
            s3.createBucket("photos");
            first.configure(new NotificationConfiguration("photos", List.of(new NotificationRule("r",
                    List.of("s3:ObjectCreated:*"), "uploads/", "", "arn:aws:sqs:us-east-1:000000000000:uploads"))));
            for (int i = 0; i < 3; i++) {
                int n = i;
                s3.client().putObject(b -> b.bucket("photos").key("uploads/" + n + ".jpg"),
                        RequestBody.fromBytes(new byte[n + 1]));
            }
            assertThat(first.stats().pending()).isEqualTo(4); // test event + 3 records
        }
        // "restart": a new process finds the outbox on disk and delivers it to the queue once it exists
        try (EmbeddedSqs sqs = EmbeddedSqs.start(EmbeddedSqs.Options.defaults().withPort(deadPort))) {
            String url = sqs.createQueue("uploads", Map.of());
            try (NotificationService second = NotificationService.start(dir.resolve("n"), sqs.client(),
                    "us-east-1")) {
                List<Message> got = awaitMessages(sqs, url, 4);
                assertThat(got).extracting(Message::body).anyMatch(b -> b.contains("s3:TestEvent"))
                        .anyMatch(b -> b.contains("uploads/0.jpg")).anyMatch(b -> b.contains("uploads/2.jpg"));
                assertThat(second.stats().pending()).isZero();
            }
        }
    }
}
