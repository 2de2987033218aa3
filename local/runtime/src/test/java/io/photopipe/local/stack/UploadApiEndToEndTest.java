package io.photopipe.local.stack;

import static io.photopipe.local.stack.TestStacks.SETTINGS;
import static io.photopipe.local.stack.TestStacks.photo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.photopipe.core.PhotoStatus;
import io.photopipe.core.Rendition;
import io.photopipe.local.Chromium;
import io.photopipe.local.lambda.LambdaOptions;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The user story end to end, through the stack as {@code ./photopipe local} runs it: the upload API's deployment
 * jar behind the local HTTP API and the worker's jar behind the event source mapping, both in child JVMs with the
 * real Lambda runtime client. A photo declared to the API, uploaded with its presigned PUT, becomes ready with URLs
 * that fetch its original and renditions; a corrupt one is reported failed with the worker's reason; the results
 * queue carries both notices; and the page does it all in a real browser.
 */
class UploadApiEndToEndTest {
    private static final Duration PATIENCE = Duration.ofSeconds(120); // 2 shared cores, cold JVMs
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @TempDir
    static Path dataDir;
    static LocalStack stack;
    static URI api;
    static final List<PhotoStatus> notices = new ArrayList<>();

    @BeforeAll
    static void start() {
        stack = LocalStack.start(SETTINGS, LocalOptions.ephemeral(TestStacks.projectRoot(), dataDir)
                .withFunctionMode(LambdaOptions.Mode.CHILD_JVM));
        api = stack.apiEndpoint().orElseThrow(() -> new IllegalStateException(
                "the stack serves no API: " + stack.apiSkippedReason().orElse("?")));
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void aPhotoUploadedThroughTheApiBecomesReadyWithUrlsThatFetchTheRightBytes() throws Exception {
        byte[] photo = photo("landscape.jpg");
        JsonNode created = createAndUpload("My Landscape.jpg", "image/jpeg", photo);
        String id = created.get("id").asText();

        assertThat(created.get("statusUrl").asText()).isEqualTo(api + "/images/" + id);
        JsonNode ready = awaitFinal(created.get("statusUrl").asText());

        assertThat(ready.get("status").asText()).as(ready.toString()).isEqualTo("ready");
        // The local stack is anonymous: an id is a share link, and shares never include the original
        assertThat(ready.has("original")).isFalse();
        assertThat(ready.get("renditions").properties()).extracting(java.util.Map.Entry::getKey)
                .containsExactlyInAnyOrderElementsOf(SETTINGS.renditions().stream().map(Rendition::name).toList());
        String key = SETTINGS.inputPrefix() + id + "/My-Landscape.jpg";
        for (Rendition r : SETTINGS.renditions()) {
            byte[] fetched = fetch(ready.get("renditions").get(r.name()).asText());
            byte[] stored = stack.s3().client().getObjectAsBytes(b -> b.bucket(SETTINGS.effectiveOutputBucket())
                    .key(SETTINGS.layout().renditionKey(key, r))).asByteArray();
            assertThat(fetched).as(r.name()).isEqualTo(stored);
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(fetched));
            assertThat(image.getWidth()).as(r.name()).isEqualTo(ready.get("details").get(r.name()).get("width").asInt());
        }
        assertThat(ready.get("details").get("thumb").get("width").asInt()).isEqualTo(128);
        assertThat(awaitNotice(key).state()).isEqualTo(PhotoStatus.State.READY);

        // Replaying the presigned PUT within its expiry creates no object and so no event for the worker
        long emitted = stack.notifications().stats().emitted();
        assertThat(put(created.get("upload"), photo).statusCode()).isEqualTo(412);
        assertThat(stack.notifications().stats().emitted()).isEqualTo(emitted);
    }

    @Test
    void aCorruptPhotoIsReportedFailedWithTheWorkersReason() throws Exception {
        JsonNode created = createAndUpload("holiday.jpg", "image/jpeg", photo("not-a-photo.jpg"));

        JsonNode failed = awaitFinal(created.get("statusUrl").asText());

        assertThat(failed.get("status").asText()).as(failed.toString()).isEqualTo("failed");
        assertThat(failed.get("reasonCode").asText()).isNotBlank();
        assertThat(failed.get("reason").asText()).isNotBlank();
        PhotoStatus notice = awaitNotice(SETTINGS.inputPrefix() + created.get("id").asText() + "/holiday.jpg");
        assertThat(notice.state()).isEqualTo(PhotoStatus.State.FAILED);
        assertThat(notice.reasonCode()).isEqualTo(failed.get("reasonCode").asText());
    }

    @Test
    void theS3RefusesAnUploadLargerThanDeclared() throws Exception {
        JsonNode created = post("{\"fileName\":\"a.jpg\",\"contentType\":\"image/jpeg\",\"size\":100}");
        HttpResponse<String> put = put(created.get("upload"), photo("landscape.jpg"));
        assertThat(put.statusCode()).isEqualTo(403);
        JsonNode status = getJson(created.get("statusUrl").asText());
        assertThat(status.get("stage").asText()).isEqualTo("awaiting-upload");
    }

    @Test
    void thePageUploadsAPhotoAndShowsItsRenditions() throws IOException {
        Chromium.assumeInstalled();
        Path file = dataDir.resolve("Starfish on the beach.jpg");
        Files.write(file, photo("starfish.jpg"));
        ChromeDriver browser = Chromium.start(dataDir.resolve("chromium-profile"));
        try {
            browser.get(api + "/");
            browser.findElement(By.id("files")).sendKeys(file.toString());

            WebElement thumb = await("the thumbnail made by the worker").atMost(PATIENCE)
                    .pollInterval(Duration.ofMillis(500)).until(() -> browser
                            .findElements(By.cssSelector("img[data-rendition='thumb']")).stream().findFirst()
                            .filter(img -> Boolean.TRUE.equals(browser.executeScript(
                                    "return arguments[0].complete && arguments[0].naturalWidth > 0", img)))
                            .orElse(null), img -> img != null);
            assertThat(((Number) browser.executeScript("return arguments[0].naturalWidth", thumb)).intValue())
                    .isEqualTo(128);
            await("every rendition").atMost(Duration.ofSeconds(30)).until(() -> browser
                    .findElements(By.cssSelector("img[data-rendition]")).stream()
                    .allMatch(img -> Boolean.TRUE.equals(browser.executeScript(
                            "return arguments[0].complete && arguments[0].naturalWidth > 0", img)))
                    && browser.findElements(By.cssSelector("img[data-rendition]")).size()
                    == SETTINGS.renditions().size());
            assertThat(browser.findElement(By.cssSelector("article.photo")).getDomAttribute("data-state"))
                    .isEqualTo("ready");
            Path shots = Path.of("target", "screenshots");
            Files.createDirectories(shots);
            Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), shots.resolve("upload-page-local-stack.png"),
                    StandardCopyOption.REPLACE_EXISTING);
        } finally {
            browser.quit();
        }
    }

    private static JsonNode createAndUpload(String fileName, String contentType, byte[] bytes) throws Exception {
        JsonNode created = post("{\"fileName\":" + JSON.writeValueAsString(fileName) + ",\"contentType\":\""
                + contentType + "\",\"size\":" + bytes.length + "}");
        HttpResponse<String> put = put(created.get("upload"), bytes);
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        return created;
    }

    private static JsonNode post(String json) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(api + "/uploads"))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return JSON.readTree(response.body());
    }

    private static HttpResponse<String> put(JsonNode upload, byte[] bytes) throws Exception {
        // Expect: 100-continue, as in the api module's TestBed: S3 answers a refused upload (403) before the body is
        // sent, instead of racing the body and closing (seen as "header parser received no bytes").
        HttpRequest.Builder put = HttpRequest.newBuilder(URI.create(upload.get("url").asText())).expectContinue(true)
                .timeout(Duration.ofSeconds(60)).PUT(HttpRequest.BodyPublishers.ofByteArray(bytes));
        upload.get("headers").properties().forEach(e -> put.header(e.getKey(), e.getValue().asText()));
        return HTTP.send(put.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode getJson(String url) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static JsonNode awaitFinal(String statusUrl) {
        AtomicReference<JsonNode> last = new AtomicReference<>();
        await("a final status at " + statusUrl).atMost(PATIENCE).pollInterval(Duration.ofMillis(500)).until(() -> {
            last.set(getJson(statusUrl));
            return !last.get().get("status").asText().equals("pending");
        });
        return last.get();
    }

    private static byte[] fetch(String url) throws Exception {
        HttpResponse<byte[]> response = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).as("GET %s", url).isEqualTo(200);
        return response.body();
    }

    /** The completion notice the worker publishes to the results queue for {@code key}. */
    private static PhotoStatus awaitNotice(String key) {
        return await("the results queue notice for " + key).atMost(PATIENCE).until(() -> {
            synchronized (notices) {
                for (Message m : stack.sqs().client().receiveMessage(b -> b.queueUrl(stack.resultsQueueUrl())
                        .maxNumberOfMessages(10).waitTimeSeconds(1)).messages()) {
                    notices.add(PhotoStatus.fromJson(m.body()));
                    stack.sqs().client().deleteMessage(b -> b.queueUrl(stack.resultsQueueUrl())
                            .receiptHandle(m.receiptHandle()));
                }
                return notices.stream().filter(n -> key.equals(n.key())).findFirst().orElse(null);
            }
        }, n -> n != null);
    }
}
