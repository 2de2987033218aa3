package io.photopipe.worker.engine;

import static io.photopipe.worker.engine.TestImages.corpus;
import static io.photopipe.worker.engine.TestImages.decode;
import static io.photopipe.worker.engine.TestImages.meanDiff;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.photopipe.core.Fit;
import io.photopipe.core.ImageFormat;
import io.photopipe.core.Rendition;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * WebP renditions, written by libwebp: lossy below quality 1.0, lossless at 1.0, transparency kept, no alpha plane
 * for opaque photos. Each is read back by TwelveMonkeys' ImageIO reader (what a Java client would use) and, for the
 * pixel comparisons, by libwebp through the engine: TwelveMonkeys 3.14 misreads some lossless files with alpha
 * (haraldk/TwelveMonkeys#739, #1243), libwebp is the reference decoder.
 */
class WebpOutputTest {

    private final ImageEngine engine = TestImages.engine();

    @BeforeAll
    static void nativeCodecs() {
        assumeTrue(Codecs.nativeAvailable(), Codecs.nativeStatus());
    }

    @Test
    void lossyAndLosslessWebpRenditionsReadBackAsThePicture() throws Exception {
        byte[] photo = corpus("camera_nokia_lumia820_starfish.jpg");
        RenderResult r = engine.render(photo, List.of(
                new Rendition("lossy", 640, 640, Fit.FIT, ImageFormat.WEBP, 0.8, List.of()),
                new Rendition("lossless", 640, 640, Fit.FIT, ImageFormat.WEBP, 1.0, List.of()),
                new Rendition("png", 640, 640, Fit.FIT, ImageFormat.PNG, 1.0, List.of())));
        RenderedImage lossy = r.outputs().get(0);
        RenderedImage lossless = r.outputs().get(1);
        BufferedImage png = decode(r.outputs().get(2));
        for (RenderedImage w : List.of(lossy, lossless)) {
            assertThat(w.contentType()).isEqualTo("image/webp");
            assertThat(new String(w.bytes(), 0, 4, StandardCharsets.ISO_8859_1)).isEqualTo("RIFF");
            assertThat(new String(w.bytes(), 8, 4, StandardCharsets.ISO_8859_1)).isEqualTo("WEBP");
            BufferedImage back = decode(w);
            assertThat(back.getWidth()).isEqualTo(w.width()).isEqualTo(640);
            assertThat(back.getHeight()).isEqualTo(w.height());
        }
        assertThat(chunk(lossy.bytes())).as("lossy VP8, no alpha plane for an opaque photo").isEqualTo("VP8 ");
        assertThat(chunk(lossless.bytes())).isEqualTo("VP8L");
        assertThat(meanDiff(decode(lossless), png)).as("lossless: the PNG's pixels").isLessThan(0.01);
        assertThat(meanDiff(throughLibwebp(lossy), png)).as("lossy q80: close (about 3 of 255)").isLessThan(5);
        assertThat(lossy.bytes().length).isLessThan(lossless.bytes().length / 2);
    }

    @Test
    void transparencyIsKeptInWebp() throws Exception {
        RenderResult r = engine.render(corpus("png_palette_trns_ftbbn3p08.png"), List.of(
                new Rendition("w", 32, 32, Fit.FIT, ImageFormat.WEBP, 1.0, List.of()),
                new Rendition("p", 32, 32, Fit.FIT, ImageFormat.PNG, 1.0, List.of())));
        assertThat(decode(r.outputs().get(0)).getColorModel().hasAlpha()).as("TwelveMonkeys sees alpha").isTrue();
        BufferedImage webp = throughLibwebp(r.outputs().get(0));
        BufferedImage png = decode(r.outputs().get(1));
        int transparent = 0;
        for (int y = 0; y < png.getHeight(); y++) {
            for (int x = 0; x < png.getWidth(); x++) {
                int a = png.getRGB(x, y) >>> 24;
                assertThat(webp.getRGB(x, y) >>> 24).as("alpha at %d,%d", x, y).isEqualTo(a);
                if (a == 0) {
                    transparent++;
                }
            }
        }
        assertThat(transparent).as("the fixture has transparent pixels").isPositive();
    }

    /** A WebP rendition decoded by libwebp (the engine's WebP decoder) into a PNG of the same size. */
    private BufferedImage throughLibwebp(RenderedImage webp) throws Exception {
        RenderResult back = engine.render(webp.bytes(), List.of(
                new Rendition("back", webp.width(), webp.height(), Fit.EXACT, ImageFormat.PNG, 1.0, List.of())));
        assertThat(engine.decodes().get("native-webp")).isPositive();
        return decode(back.outputs().getFirst());
    }

    /** The first chunk after the RIFF header: VP8 (lossy), VP8L (lossless) or VP8X (extended, e.g. with alpha). */
    private static String chunk(byte[] webp) {
        return new String(webp, 12, 4, StandardCharsets.ISO_8859_1);
    }
}
