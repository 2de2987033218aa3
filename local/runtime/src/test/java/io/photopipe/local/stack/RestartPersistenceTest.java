package io.photopipe.local.stack;

import static io.photopipe.local.stack.TestStacks.SETTINGS;
import static io.photopipe.local.stack.TestStacks.photo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.photopipe.core.PhotoStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.sqs.model.Message;

/** Objects, queued messages and the notification configuration survive a restart of the stack. */
class RestartPersistenceTest {
    @TempDir
    Path dataDir;

    @Test
    void objectsAndQueuedMessagesSurviveARestartAndAreThenProcessed() {
        LocalOptions options = LocalOptions.ephemeral(TestStacks.projectRoot(), dataDir).withRunWorker(false);
        List<String> keys = List.of(SETTINGS.inputPrefix() + "kept/a.jpg", SETTINGS.inputPrefix() + "kept/b.jpg");
        try (LocalStack first = LocalStack.start(SETTINGS, options)) {
            for (String key : keys) {
                first.s3().client().putObject(b -> b.bucket(SETTINGS.bucket()).key(key),
                        RequestBody.fromBytes(photo("testorig.jpg")));
            }
            // the test event of the new configuration + one notification per photo, waiting (no worker)
            await().atMost(Duration.ofSeconds(30)).until(() -> first.metrics().queued() == 3
                    && first.metrics().notificationsPending() == 0);
        }

        LocalStack second = LocalStack.start(SETTINGS, options);
        try {
            for (String key : keys) {
                assertThat(second.s3().client().getObjectAsBytes(b -> b.bucket(SETTINGS.bucket()).key(key))
                        .asByteArray()).isEqualTo(photo("testorig.jpg"));
            }
            // Same messages, and no second test event: the configuration did not change.
            await().atMost(Duration.ofSeconds(10)).until(() -> second.metrics().queued() == 3);
            List<Message> peek = second.sqs().client().receiveMessage(b -> b.queueUrl(second.queues().queueUrl())
                    .maxNumberOfMessages(10).visibilityTimeout(0).waitTimeSeconds(1)).messages();
            assertThat(peek).extracting(Message::body).filteredOn(body -> body.contains("s3:TestEvent")).hasSize(1);
            assertThat(peek).extracting(Message::body).anyMatch(body -> body.contains("kept/a.jpg"))
                    .anyMatch(body -> body.contains("kept/b.jpg"));

            // Now let the worker consume what waited through the restart.
            second.startWorker();
            for (String key : keys) {
                assertThat(TestStacks.awaitStatus(second.s3().client(), SETTINGS, key, Duration.ofSeconds(120))
                        .state()).isEqualTo(PhotoStatus.State.READY);
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> second.metrics().idle());
        } finally {
            second.close();
        }
    }
}
