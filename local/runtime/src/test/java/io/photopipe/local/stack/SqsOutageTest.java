package io.photopipe.local.stack;

import static io.photopipe.local.stack.CleanShutdownTest.SETTINGS;
import static io.photopipe.local.stack.CleanShutdownTest.ready;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The SQS outage switch of a running stack, driven through its control endpoint as another process would: SQS goes
 * away on its port and comes back with its queues and messages; meanwhile uploads wait in the notification outbox,
 * and the event source mapping and the worker (child JVMs) ride it out: every photo ends READY, none in the DLQ.
 */
class SqsOutageTest {
    @TempDir
    Path dataDir;

    @Test
    void uploadsDuringAnSqsOutageAreProcessedWhenItEnds() throws Exception {
        LocalOptions options = LocalOptions.ephemeral(TestStacks.projectRoot(), dataDir).withControlPort(0);
        try (LocalStack stack = LocalStack.start(SETTINGS, options)) {
            ControlServer control = stack.control().orElseThrow();
            S3Client s3 = stack.s3().client();
            byte[] photo = TestStacks.photo("testorig.jpg");
            List<String> before = upload(s3, "before", 2, photo);
            await().atMost(Duration.ofSeconds(90)).until(() -> ready(s3, before) == before.size());

            assertThat(call(control, "POST", "/sqs/stop", control.token()).body()).contains("\"sqsUp\":false");
            assertThat(stack.metrics().line()).contains("SQS DOWN");
            int sqsPort = stack.sqs().port();
            List<String> during = upload(s3, "during", 4, photo);
            await().atMost(Duration.ofSeconds(10)).until(() -> stack.metrics().notificationsPending() == 4);
            assertThat(ready(s3, during)).as("nothing reaches the worker while SQS is down").isZero();

            assertThat(call(control, "POST", "/sqs/start", control.token()).body()).contains("\"sqsUp\":true");
            assertThat(stack.sqs().port()).isEqualTo(sqsPort);
            await().atMost(Duration.ofSeconds(90)).until(() -> ready(s3, during) == during.size());
            await().atMost(Duration.ofSeconds(20)).until(() -> stack.metrics().notificationsPending() == 0);
            assertThat(stack.metrics().dlq()).isZero();

            // the timed form ends by itself; a request without the token changes nothing
            assertThat(call(control, "POST", "/sqs/outage?seconds=1", control.token()).body())
                    .contains("\"sqsUp\":false", "sqsBackAt");
            await().atMost(Duration.ofSeconds(30)).until(stack::sqsRunning);
            assertThat(call(control, "POST", "/sqs/stop", "wrong").statusCode()).isEqualTo(403);
            assertThat(call(control, "POST", "/sqs/outage?seconds=0", control.token()).statusCode()).isEqualTo(400);
            assertThat(stack.sqsRunning()).isTrue();
            assertThat(call(control, "GET", "/metrics", control.token()).body()).contains("\"sqsUp\":true",
                    "\"dlq\":0");
        }
    }

    private static List<String> upload(S3Client s3, String dir, int n, byte[] photo) {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String key = SETTINGS.inputPrefix() + dir + "/" + i + ".jpg";
            s3.putObject(b -> b.bucket(SETTINGS.bucket()).key(key), RequestBody.fromBytes(photo));
            keys.add(key);
        }
        return keys;
    }

    private static HttpResponse<String> call(ControlServer control, String method, String path, String token)
            throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(control.endpoint() + path))
                .header(ControlServer.TOKEN_HEADER, token).method(method, HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
