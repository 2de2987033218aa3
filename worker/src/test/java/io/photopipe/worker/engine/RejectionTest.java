package io.photopipe.worker.engine;

import static io.photopipe.worker.engine.TestImages.MB;
import static io.photopipe.worker.engine.TestImages.corpus;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.photopipe.core.PipelineSettings;
import io.photopipe.core.Rendition;
import java.awt.Color;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Bad photos are rejected with a stable code and a message a user can act on; nothing else escapes. */
class RejectionTest {

    private static final List<Rendition> PRESETS = PipelineSettings.defaults().renditions();

    private final ImageEngine engine = TestImages.engine();

    static Stream<Arguments> badCorpus() {
        return Stream.of(
                Arguments.of("empty_zero_bytes.jpg", "empty", "empty"),
                Arguments.of("notimage_html_named.jpg", "not-an-image", "HTML text, not an image"),
                Arguments.of("truncated_truncated_image.png", "truncated", "PNG file ends before"),
                Arguments.of("truncated_truncated_jpeg.jpg", "truncated", "JPEG file ends before"),
                Arguments.of("heic_example.heic", "unsupported-format", "HEIC/HEIF photos are not supported; convert to JPEG"),
                Arguments.of("GENERATED_bomb_png_46000x46000_1bit.png", "too-many-pixels",
                        "46000x46000 = 2116 MP exceeds the limit of 120 MP (limits.maxPixels)"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("badCorpus")
    void badCorpusFilesAreRejectedWithAReadableReason(String file, String code, String message) {
        PhotoRejectedException e = catchThrowableOfType(PhotoRejectedException.class,
                () -> engine.render(corpus(file), PRESETS));
        assertThat(e).as(file).isNotNull();
        assertThat(e.code()).isEqualTo(code);
        assertThat(e.getMessage()).contains(message);
        PhotoRejectedException probed = catchThrowableOfType(PhotoRejectedException.class,
                () -> engine.probe(corpus(file)));
        if (!code.equals("truncated")) { // truncation shows only when pixels are read
            assertThat(probed.code()).isEqualTo(code);
        }
    }

    /**
     * The 46000x46000 PNG would need a 265 MB raster (2 GB as ints). It is rejected from its header: the rendering
     * thread allocates a few MB at most (decoding would allocate hundreds).
     */
    @Test
    void thePixelBombIsRejectedFromItsHeaderWithoutDecoding() throws Exception {
        byte[] bomb = corpus("GENERATED_bomb_png_46000x46000_1bit.png");
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        engine.probe(corpus("baseline_testorig.jpg")); // load classes first: their allocation is not the bomb's
        long before = threads.getCurrentThreadAllocatedBytes();
        PhotoRejectedException e = catchThrowableOfType(PhotoRejectedException.class, () -> engine.render(bomb, PRESETS));
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertThat(e.code()).isEqualTo(PhotoRejectedException.TOO_MANY_PIXELS);
        assertThat(e.getMessage()).contains("it was not decoded");
        assertThat(allocated).as("bytes allocated while rejecting the bomb").isLessThan(16 * MB);
    }

    @Test
    void tooManyBytesIsRejectedBeforeReadingAnything() {
        ImageEngine small = new ImageEngine(new EngineConfig(2048, 1_000_000, Color.WHITE, 64 * MB));
        assertThatThrownBy(() -> small.render(corpus("camera_nokia_lumia820_starfish.jpg"), PRESETS))
                .isInstanceOfSatisfying(PhotoRejectedException.class, e -> {
                    assertThat(e.code()).isEqualTo("too-large");
                    assertThat(e.getMessage()).contains("more than the limit of 2.0 kB (limits.maxObjectBytes)");
                });
    }

    @Test
    void aSmallPixelLimitNamesTheSizeAndTheSetting() {
        ImageEngine strict = new ImageEngine(new EngineConfig(100 * MB, 500_000, Color.WHITE, 64 * MB));
        assertThatThrownBy(() -> strict.render(corpus("camera_nokia_lumia820_starfish.jpg"), PRESETS))
                .isInstanceOfSatisfying(PhotoRejectedException.class, e -> {
                    assertThat(e.code()).isEqualTo("too-many-pixels");
                    assertThat(e.getMessage()).isEqualTo(
                            "1278x720 = 0.9 MP exceeds the limit of 0.5 MP (limits.maxPixels); it was not decoded");
                });
    }

    static Stream<Arguments> notImages() {
        return Stream.of(
                Arguments.of("%PDF-1.7\n...".getBytes(StandardCharsets.US_ASCII), "not-an-image", "a PDF document"),
                Arguments.of(new byte[] {'P', 'K', 3, 4, 0, 0}, "not-an-image", "a ZIP archive"),
                Arguments.of("{\"a\":1}".getBytes(StandardCharsets.US_ASCII), "not-an-image", "JSON text"),
                Arguments.of("<svg xmlns='http://www.w3.org/2000/svg'/>".getBytes(StandardCharsets.US_ASCII),
                        "unsupported-format", "SVG"),
                Arguments.of(new byte[] {0, 0, 0, 0x1C, 'f', 't', 'y', 'p', 'a', 'v', 'i', 'f'}, "unsupported-format",
                        "AVIF"),
                Arguments.of(new byte[] {0x12, 0x34, 0x56, 0x78, 0x11}, "not-an-image", "first bytes 1234567811"),
                Arguments.of(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 0, 2, 1, 2, 3},
                        "corrupt", "JPEG"));
    }

    @ParameterizedTest
    @MethodSource("notImages")
    void contentIsSniffedFromTheFirstBytes(byte[] bytes, String code, String message) {
        PhotoRejectedException e = catchThrowableOfType(PhotoRejectedException.class, () -> engine.render(bytes, PRESETS));
        assertThat(e.code()).isEqualTo(code);
        assertThat(e.getMessage()).contains(message);
    }

    /**
     * Decoders throw all sorts of unchecked exceptions on damaged data (IndexOutOfBounds, IllegalArgument,
     * NegativeArraySize...). Cutting and corrupting every good corpus file must only ever give outputs or a
     * {@link PhotoRejectedException} with a known code.
     */
    @Test
    void damagedFilesNeverEscapeAsAnythingButARejection() {
        Random random = new Random(42);
        // too-complex: a damaged header may claim an extreme aspect ratio or more memory than the budget
        List<String> codes = List.of("empty", "not-an-image", "unsupported-format", "too-large", "too-many-pixels",
                "too-complex", "truncated", "corrupt");
        List<Rendition> one = List.of(TestImages.png("t", 64, 64, io.photopipe.core.Fit.COVER));
        // damaged headers may claim any size: keep what a claim can cost small
        ImageEngine engine = new ImageEngine(new EngineConfig(100 * MB, 4_000_000, Color.WHITE, 64 * MB));
        int rejected = 0;
        for (String file : TestImages.goodCorpus()) {
            byte[] good = corpus(file);
            for (int i = 0; i < 4; i++) {
                byte[] bad = i < 2 ? Arrays.copyOf(good, Math.max(1, (int) (good.length * (0.15 + 0.4 * i))))
                        : corrupt(good, random);
                try {
                    engine.render(bad, one);
                } catch (PhotoRejectedException e) {
                    rejected++;
                    assertThat(codes).as(file + " " + e.getMessage()).contains(e.code());
                    assertThat(e.getMessage()).isNotBlank();
                }
            }
        }
        assertThat(rejected).isGreaterThan(TestImages.goodCorpus().size());
    }

    private static byte[] corrupt(byte[] good, Random random) {
        byte[] bad = good.clone();
        int from = Math.min(bad.length - 1, 16 + random.nextInt(Math.max(1, bad.length / 2)));
        for (int k = 0; k < 64; k++) {
            int at = from + random.nextInt(Math.max(1, bad.length - from));
            bad[at] = (byte) random.nextInt(256);
        }
        return bad;
    }
}
