package io.photopipe.local.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.photopipe.core.PhotoStatus;
import io.photopipe.core.PipelineSettings;
import io.photopipe.local.servers.LocalCredentials;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * {@code ./photopipe local} in its own JVM, SIGTERMed while the worker is busy with a backlog: it stops in order
 * (the event source mapping and the environments, the notifications, then SQS and its H2 store), its log has none of
 * the lines the old order produced, and after a restart on the same data every upload S3 acknowledged ends READY.
 */
class CleanShutdownTest {
    /** What the old order logged on every SIGTERM (H2's own shutdown hook closed the store under ElasticMQ). */
    static final List<String> BAD_LINES = List.of("Database is already closed", "Failed to notify queue event listener",
            "The state may be inconsistent", "Exception in thread");
    static final PipelineSettings SETTINGS = PipelineSettings.fromJson("""
            {"worker": {"memoryMb": 512, "timeoutSeconds": 15, "batchSize": 2, "batchingWindowSeconds": 0,
                        "maxConcurrency": 2},
             "queue": {"visibilityTimeoutSeconds": 90, "maxReceiveCount": 5},
             "renditions": [{"name": "thumb", "width": 96, "height": 96, "fit": "cover", "format": "jpeg",
                             "quality": 0.8, "filters": []}]}""");

    @TempDir
    Path tmp;

    @Test
    void sigtermUnderLoadStopsInOrderAndLosesNothing() throws Exception {
        Path settings = Files.writeString(tmp.resolve("settings.json"), SETTINGS.toJson());
        StackProcess.Launch launch = new StackProcess.Launch(tmp.resolve("data"), settings, "", 0, 0, List.of());
        List<String> uploaded = new ArrayList<>();
        byte[] photo = TestStacks.photo("testorig.jpg");
        StackProcess first = StackProcess.start(launch);
        try (S3Client s3 = client(first)) {
            for (int i = 0; i < 12; i++) {
                String key = SETTINGS.inputPrefix() + "shutdown/" + i + ".jpg";
                s3.putObject(b -> b.bucket(SETTINGS.bucket()).key(key), RequestBody.fromBytes(photo));
                uploaded.add(key);
            }
            // SIGTERM while the worker works through the backlog (its notifications all in SQS)
            await().atMost(Duration.ofSeconds(90)).until(() -> ready(s3, uploaded) >= 2
                    && first.control("GET", "/metrics").contains("\"notificationsPending\":0"));
            assertThat(ready(s3, uploaded)).as("still under load at SIGTERM").isLessThan(uploaded.size());
            first.terminate();
            assertThat(first.awaitExit(Duration.ofSeconds(60))).as("exited on SIGTERM").isEqualTo(143);
        } finally {
            first.close();
        }
        String firstLog = Files.readString(first.log());
        assertThat(firstLog).contains("stopping (objects, queued messages", "stopped");
        BAD_LINES.forEach(bad -> assertThat(firstLog).as("stack log").doesNotContain(bad));

        StackProcess second = first.restart();
        try (S3Client s3 = client(second)) {
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1))
                    .untilAsserted(() -> assertThat(ready(s3, uploaded)).as("READY after the restart")
                            .isEqualTo(uploaded.size()));
        } finally {
            second.close();
        }
        String both = Files.readString(second.log());
        BAD_LINES.forEach(bad -> assertThat(both).as("stack log").doesNotContain(bad));
    }

    static S3Client client(StackProcess stack) {
        return S3Client.builder().endpointOverride(stack.s3Endpoint()).region(Region.of(LocalCredentials.REGION))
                .credentialsProvider(LocalCredentials.provider()).forcePathStyle(true).build();
    }

    static long ready(S3Client s3, List<String> keys) {
        return keys.stream().filter(k -> {
            try {
                String json = s3.getObjectAsBytes(b -> b.bucket(SETTINGS.effectiveOutputBucket())
                        .key(SETTINGS.layout().statusKey(k))).asUtf8String();
                return PhotoStatus.fromJson(json).state() == PhotoStatus.State.READY;
            } catch (NoSuchKeyException e) {
                return false;
            }
        }).count();
    }
}
