package io.photopipe.worker.engine;

import static io.photopipe.worker.engine.TestImages.card;
import static io.photopipe.worker.engine.TestImages.chroma;
import static io.photopipe.worker.engine.TestImages.decode;
import static io.photopipe.worker.engine.TestImages.edgeEnergy;
import static io.photopipe.worker.engine.TestImages.encodePng;
import static io.photopipe.worker.engine.TestImages.lumaStdDev;
import static io.photopipe.worker.engine.TestImages.meanRgb;
import static io.photopipe.worker.engine.TestImages.png;
import static org.assertj.core.api.Assertions.assertThat;

import io.photopipe.core.Fit;
import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each filter moves pixels the way its name says, measured against the same rendition without it. */
class FiltersTest {

    private final ImageEngine engine = TestImages.engine();
    private final byte[] card = encodePng(card(320, 240));
    private final byte[] noise = encodePng(TestImages.noise(160, 120, 7));

    private BufferedImage render(byte[] photo, String... filters) throws PhotoRejectedException {
        return decode(engine.render(photo, List.of(png("f", 160, 120, Fit.FIT, filters))).outputs().getFirst());
    }

    @Test
    void grayscaleMakesEveryChannelEqual() throws Exception {
        BufferedImage out = render(card, "grayscale");
        for (int y = 0; y < out.getHeight(); y++) {
            for (int x = 0; x < out.getWidth(); x++) {
                int p = out.getRGB(x, y);
                assertThat((p >> 16) & 0xFF).isEqualTo((p >> 8) & 0xFF).isEqualTo(p & 0xFF);
            }
        }
        assertThat(chroma(render(card))).isGreaterThan(30);
    }

    @Test
    void sepiaTurnsGreysWarm() throws Exception {
        byte[] grey = encodePng(TestImages.noise(160, 120, 3)); // neutral greys
        double[] plain = meanRgb(render(grey));
        double[] sepia = meanRgb(render(grey, "sepia:1"));
        assertThat(Math.abs(plain[0] - plain[2])).isLessThan(1);
        assertThat(sepia[0]).isGreaterThan(sepia[1] + 10);
        assertThat(sepia[1]).isGreaterThan(sepia[2] + 10);
        double[] half = meanRgb(render(grey, "sepia:0.3"));
        assertThat(half[0] - half[2]).as("a weaker amount is less warm").isLessThan(sepia[0] - sepia[2]).isPositive();
    }

    @Test
    void blurReducesVarianceAndSharpenIncreasesEdgeContrast() throws Exception {
        BufferedImage plain = render(noise);
        assertThat(lumaStdDev(render(noise, "blur:2"))).isLessThan(lumaStdDev(plain) * 0.5);
        assertThat(lumaStdDev(render(noise, "blur:6"))).isLessThan(lumaStdDev(render(noise, "blur:2")));
        BufferedImage edges = render(card);
        assertThat(edgeEnergy(render(card, "sharpen:1"))).isGreaterThan(edgeEnergy(edges) * 1.1);
        assertThat(edgeEnergy(render(card, "sharpen:2"))).isGreaterThan(edgeEnergy(render(card, "sharpen:1")));
    }

    @Test
    void brightnessAndContrastMoveMeanAndSpread() throws Exception {
        double plain = mean(render(card));
        assertThat(mean(render(card, "brightness:1.3"))).isGreaterThan(plain + 10);
        assertThat(mean(render(card, "brightness:0.7"))).isLessThan(plain - 10);
        double spread = lumaStdDev(render(card));
        assertThat(lumaStdDev(render(card, "contrast:1.5"))).isGreaterThan(spread * 1.2);
        assertThat(lumaStdDev(render(card, "contrast:0.5"))).isLessThan(spread * 0.7);
    }

    @Test
    void saturationAndItsAliasVividChangeColourfulness() throws Exception {
        double plain = chroma(render(card));
        assertThat(chroma(render(card, "saturation:1.5"))).isGreaterThan(plain * 1.3);
        assertThat(chroma(render(card, "vivid:1.5"))).isEqualTo(chroma(render(card, "saturation:1.5")));
        assertThat(chroma(render(card, "saturation:0.3"))).isLessThan(plain * 0.5);
    }

    @Test
    void vignetteDarkensCornersNotTheCentre() throws Exception {
        byte[] flat = encodePng(solid(160, 120, 0xB0B0B0));
        BufferedImage out = render(flat, "vignette:0.8");
        assertThat(TestImages.luma(out.getRGB(80, 60))).isGreaterThan(170);
        assertThat(TestImages.luma(out.getRGB(0, 0))).isLessThan(60);
        assertThat(TestImages.luma(out.getRGB(159, 119))).isLessThan(60);
    }

    @Test
    void watermarkWritesTextAtTheBottomRightOnly() throws Exception {
        byte[] flat = encodePng(solid(320, 240, 0x3060A0));
        BufferedImage plain = render(flat);
        BufferedImage marked = render(flat, "watermark:© photopipe");
        int changedBottomRight = 0;
        int changedElsewhere = 0;
        for (int y = 0; y < plain.getHeight(); y++) {
            for (int x = 0; x < plain.getWidth(); x++) {
                if (plain.getRGB(x, y) != marked.getRGB(x, y)) {
                    if (x > plain.getWidth() / 3 && y > plain.getHeight() * 2 / 3) {
                        changedBottomRight++;
                    } else {
                        changedElsewhere++;
                    }
                }
            }
        }
        assertThat(changedBottomRight).isGreaterThan(100);
        assertThat(changedElsewhere).isZero();
    }

    @Test
    void filtersRunInOrderAndDoNotLeakIntoOtherRenditions() throws Exception {
        RenderResult result = engine.render(card, List.of(png("a", 160, 120, Fit.FIT, "grayscale"),
                png("b", 160, 120, Fit.FIT), png("c", 80, 60, Fit.FIT)));
        assertThat(chroma(decode(result.outputs().get(0)))).isZero();
        assertThat(chroma(decode(result.outputs().get(1)))).as("same size, cascade source untouched").isGreaterThan(30);
        assertThat(chroma(decode(result.outputs().get(2)))).isGreaterThan(30);
        // sepia after grayscale is warm; grayscale after sepia is grey
        assertThat(chroma(render(card, "grayscale", "sepia:1"))).isGreaterThan(10);
        assertThat(chroma(render(card, "sepia:1", "grayscale"))).isZero();
    }

    private static double mean(BufferedImage image) {
        double[] m = meanRgb(image);
        return (m[0] + m[1] + m[2]) / 3;
    }

    private static BufferedImage solid(int w, int h, int rgb) {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                image.setRGB(x, y, rgb);
            }
        }
        return image;
    }
}
