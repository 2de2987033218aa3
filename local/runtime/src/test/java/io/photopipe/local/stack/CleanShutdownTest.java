package io.photopipe.local.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.photopipe.core.PhotoStatus;
import io.photopipe.core.PipelineSettings;
import io.photopipe.local.servers.LocalCredentials;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
 * {@code ./photopipe local} in its own JVM, driven from outside as a chaos driver or a user would:
 * <ol>
 *   <li>the SQS outage switch of its control endpoint: SQS goes away on its port, uploads wait in the notification
 *       outbox, and when SQS is back with its queues and messages, the event source mapping and the worker (child
 *       JVMs) have ridden it out and every photo ends READY;</li>
 *   <li>SIGTERM while the worker works through a backlog: it stops in order (the event source mapping and the
 *       environments, the notifications, then SQS and its H2 store), its log has none of the lines the old order
 *       produced, and after a restart on the same data every upload S3 acknowledged ends READY.</li>
 * </ol>
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
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void anSqsOutageAndASigtermUnderLoadLoseNothing() throws Exception {
        Path settings = Files.writeString(tmp.resolve("settings.json"), SETTINGS.toJson());
        StackProcess.Launch launch = new StackProcess.Launch(tmp.resolve("data"), settings, "", 0, 0, List.of());
        List<String> all = new ArrayList<>();
        StackProcess first = StackProcess.start(launch);
        try (S3Client s3 = client(first)) {
            assertThat(first.control("POST", "/sqs/stop")).contains("\"sqsUp\":false");
            List<String> during = upload(s3, "during", 3, all);
            await().atMost(Duration.ofSeconds(10)).until(() -> first.control("GET", "/metrics")
                    .contains("\"notificationsPending\":3"));
            assertThat(ready(s3, during)).as("nothing reaches the worker while SQS is down").isZero();
            assertThat(first.control("POST", "/sqs/start")).contains("\"sqsUp\":true");
            await().atMost(Duration.ofSeconds(90)).until(() -> ready(s3, during) == during.size());

            // SIGTERM while the worker works through a backlog: as soon as all its notifications are in SQS (one
            // cheap request a poll, so the decision is not slower than 40 small photos on a fast machine)
            List<String> load = upload(s3, "load", 40, all);
            JsonNode atSigterm = JSON.readTree(await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                    .until(() -> first.control("GET", "/metrics"), m -> m.contains("\"notificationsPending\":0")));
            assertThat(atSigterm.get("queued").asLong() + atSigterm.get("inFlight").asLong())
                    .as("still under load at SIGTERM: %s", atSigterm).isPositive();
            first.terminate();
            assertThat(first.awaitExit(Duration.ofSeconds(60))).as("exited on SIGTERM").isEqualTo(143);
        } finally {
            first.close();
        }
        String firstLog = Files.readString(first.log());
        assertThat(firstLog).contains("SQS outage: SQS stopped", "SQS outage over", "stopping (objects, queued "
                + "messages", "stopped");
        BAD_LINES.forEach(bad -> assertThat(firstLog).as("stack log").doesNotContain(bad));

        StackProcess second = first.restart();
        try (S3Client s3 = client(second)) {
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1))
                    .untilAsserted(() -> assertThat(ready(s3, all)).as("READY after the restart").isEqualTo(all.size()));
            // the switch refuses a request without the stack's token, and a bad duration; a timed outage ends itself
            String url = second.env("PHOTOPIPE_CONTROL_URL");
            assertThat(post(url + "/sqs/stop", "not-the-token").statusCode()).isEqualTo(403);
            assertThat(post(url + "/sqs/outage?seconds=0", second.env("PHOTOPIPE_CONTROL_TOKEN")).statusCode())
                    .isEqualTo(400);
            assertThat(second.control("POST", "/sqs/outage?seconds=1")).contains("\"sqsUp\":false", "sqsBackAt");
            await().atMost(Duration.ofSeconds(30)).until(() -> second.control("GET", "/health")
                    .contains("\"sqsUp\":true"));
        } finally {
            second.close();
        }
        String both = Files.readString(second.log());
        BAD_LINES.forEach(bad -> assertThat(both).as("stack log").doesNotContain(bad));
    }

    private static List<String> upload(S3Client s3, String dir, int n, List<String> all) {
        byte[] photo = TestStacks.photo("testorig.jpg");
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String key = SETTINGS.inputPrefix() + dir + "/" + i + ".jpg";
            s3.putObject(b -> b.bucket(SETTINGS.bucket()).key(key), RequestBody.fromBytes(photo));
            keys.add(key);
        }
        all.addAll(keys);
        return keys;
    }

    private static HttpResponse<String> post(String url, String token) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).header(ControlServer.TOKEN_HEADER, token)
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
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
