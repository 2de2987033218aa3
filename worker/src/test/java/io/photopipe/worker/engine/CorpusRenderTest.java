package io.photopipe.worker.engine;

import static io.photopipe.worker.engine.TestImages.corpus;
import static io.photopipe.worker.engine.TestImages.decode;
import static io.photopipe.worker.engine.TestImages.png;
import static org.assertj.core.api.Assertions.assertThat;

import io.photopipe.core.Fit;
import io.photopipe.core.ImageFormat;
import io.photopipe.core.PipelineSettings;
import io.photopipe.core.Rendition;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every good file of the corpus renders at the right size for each fit, and outputs are clean. */
class CorpusRenderTest {

    /** Upright (displayed) size of each good corpus file, from shared/corpus/MANIFEST.tsv. */
    private static final Map<String, int[]> DISPLAY = Map.ofEntries(
            Map.entry("baseline_testorig.jpg", new int[] {227, 149}),
            Map.entry("bmp_rle8_hopper_rle8.bmp", new int[] {128, 128}),
            Map.entry("camera_nokia_lumia820_starfish.jpg", new int[] {1278, 720}),
            Map.entry("cmyk_adobe_video-001.cmyk.jpeg", new int[] {150, 103}),
            Map.entry("gif_animated_iss634.gif", new int[] {245, 245}),
            Map.entry("gif_static_video-001.gif", new int[] {150, 103}),
            Map.entry("orient1_Landscape_1.jpg", new int[] {600, 450}),
            Map.entry("orient2_Landscape_2.jpg", new int[] {600, 450}),
            Map.entry("orient3_Landscape_3.jpg", new int[] {600, 450}),
            Map.entry("orient4_Landscape_4.jpg", new int[] {600, 450}),
            Map.entry("orient5_Landscape_5.jpg", new int[] {600, 450}),
            Map.entry("orient6_Landscape_6.jpg", new int[] {600, 450}),
            Map.entry("orient7_Landscape_7.jpg", new int[] {600, 450}),
            Map.entry("orient8_Landscape_8.jpg", new int[] {600, 450}),
            Map.entry("png_interlaced_benchRGB-interlace.png", new int[] {256, 256}),
            Map.entry("png_palette_trns_ftbbn3p08.png", new int[] {32, 32}),
            Map.entry("progressive_video-001.progressive.jpeg", new int[] {150, 103}),
            Map.entry("tiff_video-001.tiff", new int[] {150, 103}),
            Map.entry("webp_lossless_yellow_rose.lossless.webp", new int[] {400, 301}),
            Map.entry("webp_lossy_alpha_yellow_rose.lossy-with-alpha.webp", new int[] {400, 301}),
            Map.entry("webp_lossy_yellow_rose.lossy.webp", new int[] {400, 301}));

    private final ImageEngine engine = TestImages.engine();

    static Stream<String> good() {
        return TestImages.goodCorpus().stream();
    }

    @ParameterizedTest
    @MethodSource("good")
    void probeReadsTheHeaderAndTheDisplayedSizeFollowsOrientation(String file) throws Exception {
        ImageInfo info = engine.probe(corpus(file));
        int[] display = DISPLAY.get(file);
        assertThat(new int[] {info.displayWidth(), info.displayHeight()}).as(file).containsExactly(display);
        assertThat(info.frames()).isEqualTo(file.contains("animated") ? 42 : 1);
    }

    static Stream<Arguments> fits() {
        return good().flatMap(f -> Stream.of(
                Arguments.of(f, Fit.FIT, 100, 100), Arguments.of(f, Fit.COVER, 100, 100),
                Arguments.of(f, Fit.EXACT, 90, 40), Arguments.of(f, Fit.FIT, 2000, 60),
                Arguments.of(f, Fit.COVER, 64, 160), Arguments.of(f, Fit.FIT, 4000, 4000)));
    }

    @ParameterizedTest(name = "{0} {1} {2}x{3}")
    @MethodSource("fits")
    void eachFitGivesTheDocumentedSize(String file, Fit fit, int w, int h) throws Exception {
        int[] src = DISPLAY.get(file);
        RenderResult result = engine.render(corpus(file), List.of(png("out", w, h, fit)));
        RenderedImage out = result.outputs().getFirst();
        int[] expected = switch (fit) {
            case FIT -> {
                double s = Math.min(1, Math.min((double) w / src[0], (double) h / src[1]));
                yield new int[] {(int) Math.max(1, Math.round(src[0] * s)), (int) Math.max(1, Math.round(src[1] * s))};
            }
            case COVER, EXACT -> new int[] {w, h};
        };
        assertThat(new int[] {out.width(), out.height()}).as(file).containsExactly(expected);
        BufferedImage decoded = decode(out);
        assertThat(new int[] {decoded.getWidth(), decoded.getHeight()}).containsExactly(expected);
        assertThat(out.contentType()).isEqualTo("image/png");
    }

    @ParameterizedTest
    @MethodSource("good")
    void theDefaultPresetsRenderFromOneDecode(String file) throws Exception {
        PipelineSettings settings = PipelineSettings.defaults();
        byte[] photo = corpus(file);
        RenderResult result = engine.render(photo, settings.renditions());
        assertThat(result.outputs()).extracting(o -> o.rendition().name())
                .containsExactlyElementsOf(settings.renditions().stream().map(Rendition::name).toList());
        for (RenderedImage out : result.outputs()) {
            Rendition r = out.rendition();
            assertThat(out.width()).isLessThanOrEqualTo(Math.max(r.width(), 1));
            assertThat(out.height()).isLessThanOrEqualTo(Math.max(r.height(), 1));
            BufferedImage decoded = decode(out);
            assertThat(decoded.getWidth()).isEqualTo(out.width());
            assertThat(out.contentType()).isEqualTo(r.format().contentType());
            if (r.format() == ImageFormat.JPEG) {
                assertCleanJpeg(out.bytes());
            }
        }
        assertThat(result.decodedPixels()).isLessThanOrEqualTo(result.source().pixels());
    }

    /** Baseline (not progressive), no EXIF/XMP (APP1) and no ICC profile (APP2): nothing of the source leaks. */
    static void assertCleanJpeg(byte[] jpeg) {
        int p = 2;
        while (p + 4 <= jpeg.length) {
            int marker = jpeg[p + 1] & 0xFF;
            int len = (jpeg[p + 2] & 0xFF) << 8 | (jpeg[p + 3] & 0xFF);
            assertThat(marker).as("APP1 (EXIF/XMP) or APP2 (ICC) segment in output").isNotIn(0xE1, 0xE2);
            assertThat(marker).as("progressive (SOF2) output").isNotEqualTo(0xC2);
            if (marker == 0xDA) {
                break;
            }
            p += 2 + len;
        }
        assertThat(new String(jpeg, StandardCharsets.ISO_8859_1)).doesNotContain("Exif\0\0").doesNotContain("ICC_PROFILE");
    }
}
