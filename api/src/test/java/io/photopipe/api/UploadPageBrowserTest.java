package io.photopipe.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.photopipe.core.FunctionEnv;
import io.photopipe.core.OutputLayout;
import io.photopipe.core.PhotoStatus;
import io.photopipe.core.PipelineSettings;
import io.photopipe.core.Rendition;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The upload page in a real headless Chromium: pick a real photo, watch it go straight to S3 (a cross-origin PUT the
 * bucket allows by CORS), and see its thumbnail appear once the renditions are ready. The worker is played by the
 * test (it writes renditions and the READY status as the worker does); the local runtime's end-to-end test runs
 * the real one. Skips, saying why, where no Chromium and chromedriver are installed ({@code .ci/run} installs them).
 */
class UploadPageBrowserTest {
    private static TestBed bed;
    private static LocalHttpApi http;
    private static ChromeDriver browser;
    @TempDir
    static Path files;

    @BeforeAll
    static void start() {
        Chromium.assumeInstalled();
        // As the local stack runs it: anonymous (the stand-in for API Gateway has no authorizer)
        bed = TestBed.start(env -> env.put(FunctionEnv.API_AUTH, "none"));
        http = LocalHttpApi.start(new ApiHandler(bed.api));
        browser = Chromium.start(files.resolve("profile"));
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (http != null) {
            http.close();
        }
        if (bed != null) {
            bed.close();
        }
    }

    @Test
    void aPhotoPickedOnThePageIsUploadedAndItsThumbnailAppears() throws IOException {
        Path photo = files.resolve("Beach day.jpg");
        Files.write(photo, TestBed.photo("landscape.jpg"));
        browser.get(http.endpoint() + "/");
        assertThat(browser.getTitle()).startsWith("photopipe");

        browser.findElement(By.id("files")).sendKeys(photo.toString());

        S3Object uploaded = await("the photo in S3").atMost(Duration.ofSeconds(30)).until(() -> bed.s3.client()
                .listObjectsV2(b -> b.bucket("photopipe-photos").prefix("uploads/")).contents().stream()
                .filter(o -> o.key().endsWith("/Beach-day.jpg")).findFirst().orElse(null), o -> o != null);
        assertThat(bed.s3.client().getObjectAsBytes(b -> b.bucket("photopipe-photos").key(uploaded.key()))
                .asByteArray()).isEqualTo(TestBed.photo("landscape.jpg"));
        WebElement card = browser.findElement(By.cssSelector("article.photo"));
        await("processing shown").atMost(Duration.ofSeconds(10))
                .until(() -> "processing".equals(card.getDomAttribute("data-state")));

        actAsTheWorker(uploaded.key(), List.of("thumb", "small", "mono", "vintage"));

        WebElement thumb = await("the thumbnail").atMost(Duration.ofSeconds(30)).until(() ->
                browser.findElements(By.cssSelector("img[data-rendition='thumb']")).stream().findFirst()
                        .filter(UploadPageBrowserTest::loaded).orElse(null), img -> img != null);
        assertThat(((Number) browser.executeScript("return arguments[0].naturalWidth", thumb)).intValue())
                .isEqualTo(128);
        await("every rendition loaded").atMost(Duration.ofSeconds(15)).until(() ->
                browser.findElements(By.cssSelector("img[data-rendition]")).stream()
                        .filter(UploadPageBrowserTest::loaded).count() == 4);
        assertThat(card.getDomAttribute("data-state")).isEqualTo("ready");
        String id = card.getDomAttribute("data-id");
        assertThat(browser.findElement(By.cssSelector(".share input")).getDomProperty("value"))
                .isEqualTo(http.endpoint() + "/?image=" + id);
        screenshot("upload-page.png");
        WebElement copy = browser.findElement(By.cssSelector(".share button"));
        copy.click();
        await("copied").atMost(Duration.ofSeconds(5)).until(() -> copy.getText().equals("Copied"));
        browser.manage().window().setSize(new org.openqa.selenium.Dimension(420, 900));
        screenshot("upload-page-narrow.png");
        browser.manage().window().setSize(new org.openqa.selenium.Dimension(1200, 900));

        // The share link opens the page on that photo alone, with fresh URLs
        browser.get(http.endpoint() + "/?image=" + id);
        await("the shared photo").atMost(Duration.ofSeconds(20)).until(() ->
                browser.findElements(By.cssSelector("img[data-rendition='thumb']")).stream()
                        .anyMatch(UploadPageBrowserTest::loaded));
        assertThat(browser.findElement(By.cssSelector("article.photo .name")).getText()).isEqualTo("Beach-day.jpg");
    }

    @Test
    void manyPhotosPickedAtOnceAreQueuedAndAllArrive() throws IOException {
        // The page asks for each upload URL only when its turn comes (3 at a time): all of them must get theirs
        List<String> names = List.of("q1.jpg", "q2.jpg", "q3.jpg", "q4.jpg", "q5.jpg", "q6.jpg", "q7.jpg");
        StringBuilder paths = new StringBuilder();
        for (String name : names) {
            Path file = files.resolve(name);
            Files.write(file, TestBed.photo("landscape.jpg"));
            paths.append(paths.isEmpty() ? "" : "\n").append(file);
        }
        browser.get(http.endpoint() + "/");

        browser.findElement(By.id("files")).sendKeys(paths.toString());

        await("every queued photo in S3").atMost(Duration.ofSeconds(60)).until(() -> bed.s3.client()
                .listObjectsV2(b -> b.bucket("photopipe-photos").prefix("uploads/")).contents().stream()
                .map(o -> o.key().substring(o.key().lastIndexOf('/') + 1)).filter(names::contains).distinct()
                .count() == names.size());
        await("every card waiting for renditions").atMost(Duration.ofSeconds(20)).until(() -> browser
                .findElements(By.cssSelector("article.photo[data-state='processing']")).size() == names.size());
    }

    @Test
    void aRefusedFileShowsTheApisMessage() throws IOException {
        Path notes = files.resolve("notes.txt");
        Files.writeString(notes, "not a photo");
        browser.get(http.endpoint() + "/");

        browser.findElement(By.id("files")).sendKeys(notes.toString());

        WebElement error = await("the error").atMost(Duration.ofSeconds(20)).until(() ->
                browser.findElements(By.cssSelector("article.photo .error")).stream().findFirst().orElse(null),
                e -> e != null);
        assertThat(error.getText()).contains("contentType 'text/plain' is not accepted", "image/jpeg")
                .contains("unsupported-content-type");
        assertThat(browser.findElement(By.cssSelector("article.photo")).getDomAttribute("data-state"))
                .isEqualTo("failed");
        screenshot("upload-page-error.png");
    }

    private static boolean loaded(WebElement img) {
        Object ok = ((JavascriptExecutor) browser).executeScript(
                "return arguments[0].complete && arguments[0].naturalWidth > 0", img);
        return Boolean.TRUE.equals(ok);
    }

    /** Writes renditions, then the READY status document, in the worker's layout. */
    private static void actAsTheWorker(String key, List<String> names) throws IOException {
        PipelineSettings settings = PipelineSettings.defaults();
        OutputLayout layout = bed.config.layout();
        BufferedImage source = ImageIO.read(new ByteArrayInputStream(TestBed.photo("landscape.jpg")));
        Map<String, PhotoStatus.Output> outputs = new LinkedHashMap<>();
        for (String name : names) {
            Rendition r = settings.renditions().stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow();
            int width = r.width();
            int height = name.equals("thumb") ? 128 : width * source.getHeight() / source.getWidth();
            BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
            var g = out.createGraphics();
            g.drawImage(source, 0, 0, width, height, null);
            if (name.equals("mono") || name.equals("vintage")) {
                for (int y = 0; y < height; y++) {
                    for (int x = 0; x < width; x++) {
                        int rgb = out.getRGB(x, y);
                        int l = (((rgb >> 16) & 255) * 3 + ((rgb >> 8) & 255) * 6 + (rgb & 255)) / 10;
                        out.setRGB(x, y, name.equals("mono") ? (l << 16 | l << 8 | l)
                                : (Math.min(255, l + 40) << 16 | Math.min(255, l + 20) << 8 | l));
                    }
                }
            }
            g.dispose();
            ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
            ImageIO.write(out, "jpeg", jpeg);
            String renditionKey = layout.renditionKey(key, r);
            bed.s3.client().putObject(b -> b.bucket("photopipe-photos").key(renditionKey).contentType("image/jpeg"),
                    RequestBody.fromBytes(jpeg.toByteArray()));
            outputs.put(name, new PhotoStatus.Output("photopipe-photos", renditionKey, "image/jpeg", width, height,
                    jpeg.size()));
        }
        String eTag = bed.s3.client().headObject(b -> b.bucket("photopipe-photos").key(key)).eTag().replace("\"", "");
        bed.s3.client().putObject(b -> b.bucket("photopipe-photos").key(layout.statusKey(key))
                        .contentType("application/json"),
                RequestBody.fromString(PhotoStatus.ready("photopipe-photos", key, eTag, settings.presetsHash(),
                        outputs).toJson()));
    }

    private static void screenshot(String name) throws IOException {
        Path dir = Path.of("target", "screenshots");
        Files.createDirectories(dir);
        Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), dir.resolve(name),
                StandardCopyOption.REPLACE_EXISTING);
    }
}
