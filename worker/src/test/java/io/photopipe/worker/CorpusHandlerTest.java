package io.photopipe.worker;

import static io.photopipe.worker.testing.WorkerHarness.failedIds;
import static org.assertj.core.api.Assertions.assertThat;

import io.photopipe.core.ImageFormat;
import io.photopipe.core.PhotoStatus;
import io.photopipe.core.Rendition;
import io.photopipe.worker.testing.WorkerHarness;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Every image of the corpus (test resources {@code corpus/images/}, licences beside them) uploaded, notified and
 * handled in batches of ten as Lambda would deliver them: good photos end with every rendition written (dimensions,
 * orientation, Content-Type, Cache-Control, metadata checked) and a READY status; bad ones in the DLQ with the right
 * reason code and a readable reason, acknowledged, with a FAILED status.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CorpusHandlerTest {

    /** The bad files and the reason each must be rejected with. */
    static final Map<String, String> BAD = Map.of(
            "empty_zero_bytes.jpg", "empty",
            "notimage_html_named.jpg", "not-an-image",
            "truncated_truncated_jpeg.jpg", "truncated",
            "truncated_truncated_image.png", "truncated",
            "heic_example.heic", "unsupported-format",
            "GENERATED_bomb_png_46000x46000_1bit.png", "too-many-pixels");

    static final List<String> FILES = List.of(
            "GENERATED_bomb_png_46000x46000_1bit.png", "baseline_testorig.jpg", "bmp_rle8_hopper_rle8.bmp",
            "camera_nokia_lumia820_starfish.jpg", "cmyk_adobe_video-001.cmyk.jpeg", "empty_zero_bytes.jpg",
            "gif_animated_iss634.gif", "gif_static_video-001.gif", "heic_example.heic", "notimage_html_named.jpg",
            "orient1_Landscape_1.jpg", "orient2_Landscape_2.jpg", "orient3_Landscape_3.jpg",
            "orient4_Landscape_4.jpg", "orient5_Landscape_5.jpg", "orient6_Landscape_6.jpg",
            "orient7_Landscape_7.jpg", "orient8_Landscape_8.jpg", "png_interlaced_benchRGB-interlace.png",
            "png_palette_trns_ftbbn3p08.png", "progressive_video-001.progressive.jpeg", "tiff_video-001.tiff",
            "truncated_truncated_image.png", "truncated_truncated_jpeg.jpg",
            "webp_lossless_yellow_rose.lossless.webp", "webp_lossy_alpha_yellow_rose.lossy-with-alpha.webp",
            "webp_lossy_yellow_rose.lossy.webp");

    /** Display size (after EXIF orientation) of the good files whose size differs from what ImageIO reports. */
    static final Map<String, int[]> DISPLAY = Map.of(
            "orient5_Landscape_5.jpg", new int[]{600, 450}, "orient6_Landscape_6.jpg", new int[]{600, 450},
            "orient7_Landscape_7.jpg", new int[]{600, 450}, "orient8_Landscape_8.jpg", new int[]{600, 450});

    private WorkerHarness h;
    private final Map<String, String> eTags = new LinkedHashMap<>();
    private final Map<String, String> messageIds = new LinkedHashMap<>();
    private final List<String> failed = new ArrayList<>();
    private List<Message> dlq;

    static byte[] image(String name) {
        try (InputStream in = CorpusHandlerTest.class.getResourceAsStream("/corpus/images/" + name)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String key(String name) {
        return "uploads/corpus/" + name;
    }

    @BeforeAll
    void handleTheWholeCorpus() {
        h = WorkerHarness.create(Map.of());
        assertThat(getClass().getResource("/corpus/images/")).isNotNull();
        for (String f : FILES) {
            eTags.put(f, h.put(key(f), image(f)));
            messageIds.put(f, h.sendCreated(key(f), eTags.get(f)));
        }
        int left = FILES.size();
        while (left > 0) {
            int n = Math.min(10, left);
            failed.addAll(failedIds(h.invoke(h.receive(n))));
            left -= n;
        }
        dlq = h.drainDlq();
    }

    @AfterAll
    void close() {
        h.close();
    }

    @Test
    void nothingIsReportedForRetry() {
        assertThat(failed).isEmpty();
        assertThat(h.logLines()).hasSize(FILES.size());
    }

    @Test
    void goodPhotosHaveEveryRenditionWithRightDimensionsHeadersAndMetadata() throws IOException {
        List<Rendition> renditions = h.worker.config().settings().renditions();
        String presetsHash = h.worker.config().settings().presetsHash();
        for (String f : FILES) {
            if (BAD.containsKey(f)) {
                continue;
            }
            PhotoStatus status = h.status(key(f));
            assertThat(status).as(f).isNotNull();
            assertThat(status.state()).as(f).isEqualTo(PhotoStatus.State.READY);
            assertThat(status.sourceETag()).isEqualTo(eTags.get(f));
            assertThat(status.presetsHash()).isEqualTo(presetsHash);
            int[] source = displaySize(f);
            for (Rendition r : renditions) {
                String outKey = h.layout().renditionKey(key(f), r);
                PhotoStatus.Output out = status.renditions().get(r.name());
                assertThat(out).as("%s %s", f, r.name()).isNotNull();
                assertThat(out.key()).isEqualTo(outKey);
                HeadObjectResponse head = h.head(outKey);
                assertThat(head.contentType()).isEqualTo(r.format().contentType());
                assertThat(head.cacheControl()).isEqualTo("public, max-age=300");
                assertThat(head.metadata()).containsEntry("source-etag", eTags.get(f))
                        .containsEntry("presets-hash", presetsHash).containsEntry("rendition", r.name());
                BufferedImage img = ImageIO.read(new ByteArrayInputStream(h.bytes(outKey)));
                assertThat(img).as("%s %s decodes", f, r.name()).isNotNull();
                assertThat(new int[]{img.getWidth(), img.getHeight()}).as("%s %s", f, r.name())
                        .containsExactly(out.width(), out.height());
                assertBox(f + " " + r.name(), r, source, img.getWidth(), img.getHeight());
                if (r.format() == ImageFormat.JPEG) {
                    assertThat(img.getColorModel().hasAlpha()).isFalse();
                }
            }
        }
    }

    /** Inside the box; fit keeps the (oriented) aspect ratio; cover fills the box unless the photo is smaller. */
    private static void assertBox(String what, Rendition r, int[] src, int w, int h) {
        assertThat(w).as(what + " width").isBetween(1, r.width());
        assertThat(h).as(what + " height").isBetween(1, r.height());
        switch (r.fit()) {
            case FIT -> {
                assertThat(Math.abs((long) w * src[1] - (long) h * src[0])).as(what + " keeps the aspect ratio "
                        + src[0] + "x" + src[1] + " -> " + w + "x" + h).isLessThanOrEqualTo(src[0] + src[1]);
                assertThat(w == r.width() || h == r.height() || (w <= src[0] && h <= src[1])).as(what
                        + " fills the box or keeps the photo's size").isTrue();
            }
            case COVER -> assertThat((w == r.width() && h == r.height()) || w <= src[0] || h <= src[1])
                    .as(what + " fills the box").isTrue();
            case EXACT -> assertThat(new int[]{w, h}).containsExactly(r.width(), r.height());
        }
    }

    private static int[] displaySize(String f) throws IOException {
        if (DISPLAY.containsKey(f)) {
            return DISPLAY.get(f);
        }
        if (f.endsWith(".webp")) {
            return new int[]{400, 301};
        }
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(image(f)));
        return new int[]{img.getWidth(), img.getHeight()};
    }

    @Test
    void orientedPhotosComeOutUpright() {
        for (int o = 1; o <= 8; o++) {
            String f = "orient" + o + "_Landscape_" + o + ".jpg";
            PhotoStatus.Output medium = h.status(key(f)).renditions().get("medium");
            assertThat(medium.width()).as(f + " is landscape").isGreaterThan(medium.height());
        }
    }

    @Test
    void cmykColoursMatchTheRgbVersionOfTheSamePicture() throws IOException {
        int[] cmyk = meanRgb(h.bytes(h.status(key("cmyk_adobe_video-001.cmyk.jpeg")).renditions().get("small").key()));
        int[] rgb = meanRgb(h.bytes(h.status(key("progressive_video-001.progressive.jpeg")).renditions().get("small")
                .key()));
        // Sanity, not colour science (the engine's tests own accuracy): an inverted CMYK decode reverses the order
        // of the channels, a washed-out one drifts far from the RGB original.
        String both = java.util.Arrays.toString(cmyk) + " vs RGB " + java.util.Arrays.toString(rgb);
        assertThat(rgb[0] > rgb[1] && rgb[1] > rgb[2]).as("RGB original " + both).isTrue();
        assertThat(cmyk[0] > cmyk[1] && cmyk[1] > cmyk[2]).as("CMYK keeps the hue " + both).isTrue();
        for (int c = 0; c < 3; c++) {
            assertThat(Math.abs(cmyk[c] - rgb[c])).as("channel %d: CMYK %s", c, both).isLessThan(60);
        }
    }

    private static int[] meanRgb(byte[] jpeg) throws IOException {
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(jpeg));
        long[] sum = new long[3];
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int p = img.getRGB(x, y);
                sum[0] += (p >> 16) & 0xff;
                sum[1] += (p >> 8) & 0xff;
                sum[2] += p & 0xff;
            }
        }
        long n = (long) img.getWidth() * img.getHeight();
        return new int[]{(int) (sum[0] / n), (int) (sum[1] / n), (int) (sum[2] / n)};
    }

    @Test
    void badFilesAreInTheDlqWithTheirReasonAcknowledgedAndMarkedFailed() {
        Map<String, Message> byObject = dlq.stream().collect(Collectors.toMap(
                m -> WorkerHarness.attr(m, "photopipe-object"), m -> m));
        assertThat(byObject.keySet()).containsExactlyInAnyOrderElementsOf(BAD.keySet().stream()
                .map(f -> h.bucket + "/" + key(f)).toList());
        BAD.forEach((f, code) -> {
            Message m = byObject.get(h.bucket + "/" + key(f));
            assertThat(WorkerHarness.reasonCode(m)).as(f).isEqualTo(code);
            String reason = WorkerHarness.attr(m, "photopipe-reason");
            assertThat(reason).as(f).isNotBlank().doesNotContain("Exception").doesNotContain("\tat ");
            assertThat(WorkerHarness.attr(m, "photopipe-original-message-id")).isEqualTo(messageIds.get(f));
            assertThat(WorkerHarness.attr(m, "photopipe-failed-at")).isNotBlank();
            assertThat(m.body()).contains(f);
            PhotoStatus status = h.status(key(f));
            assertThat(status.state()).as(f).isEqualTo(PhotoStatus.State.FAILED);
            assertThat(status.reasonCode()).isEqualTo(code);
            assertThat(status.reason()).isEqualTo(reason);
            assertThat(h.keys(h.layout().renditionPrefix(key(f)))).containsExactlyInAnyOrder(
                    h.layout().statusKey(key(f)), h.layout().attemptKey(key(f)));
            // The attempt record names the DLQ copy, so a redelivery (a lost acknowledgement) is not copied again.
            assertThat(h.attempts(key(f)).latest(messageIds.get(f))).hasValueSatisfying(a -> {
                assertThat(a.dlqMessageId()).isEqualTo(m.messageId());
                assertThat(a.result()).isEqualTo(code);
            });
        });
        assertThat(h.count("photopipe.dlq.moves", "result", "ok")).isEqualTo(BAD.size());
    }

    @Test
    void everyFinalStatusIsPublishedToTheResultsQueue() {
        List<PhotoStatus> results = h.drainResults().stream().map(m -> PhotoStatus.fromJson(m.body())).toList();
        assertThat(results).extracting(PhotoStatus::key)
                .containsExactlyInAnyOrderElementsOf(FILES.stream().map(CorpusHandlerTest::key).toList());
        assertThat(results).filteredOn(s -> s.state() == PhotoStatus.State.FAILED).hasSize(BAD.size());
    }

    @Test
    void metricsCountBytesPixelsAndOutcomes() {
        int good = FILES.size() - BAD.size();
        assertThat(h.count("photopipe.messages", "outcome", "done")).isEqualTo(good);
        assertThat(h.count("photopipe.messages", "outcome", "rejected")).isEqualTo(BAD.size());
        assertThat(h.count("photopipe.renditions.written")).isEqualTo(good * 7.0);
        assertThat(h.count("photopipe.megapixels.in")).isGreaterThan(1.0);
        assertThat(h.count("photopipe.bytes.out")).isGreaterThan(100_000);
        assertThat(h.registry.find("photopipe.batch.size").summary().count()).isEqualTo(3);
    }
}
