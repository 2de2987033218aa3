package io.photopipe.worker.engine;

import static io.photopipe.worker.engine.TestImages.corpus;
import static io.photopipe.worker.engine.TestImages.decode;
import static io.photopipe.worker.engine.TestImages.meanDiff;
import static io.photopipe.worker.engine.TestImages.png;
import static io.photopipe.worker.engine.TestImages.rendition;
import static org.assertj.core.api.Assertions.assertThat;

import io.photopipe.core.Fit;
import io.photopipe.core.ImageFormat;
import io.photopipe.core.Rendition;
import java.awt.Color;
import java.awt.geom.AffineTransform;
import java.awt.image.AffineTransformOp;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Orientation, colour management, transparency, animation and WebP input, checked on pixels. */
class ColourAndOrientationTest {

    private static final Rendition SHOW = png("show", 600, 600, Fit.FIT);

    private final ImageEngine engine = TestImages.engine();

    private BufferedImage render(String file, Rendition r) throws PhotoRejectedException {
        return decode(engine.render(corpus(file), List.of(r)).outputs().getFirst());
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 4, 5, 6, 7, 8})
    void everyExifOrientationIsShownLikeOrientationOne(int n) throws Exception {
        BufferedImage reference = render("orient1_Landscape_1.jpg", SHOW);
        BufferedImage oriented = render("orient" + n + "_Landscape_" + n + ".jpg", SHOW);
        assertThat(new int[] {oriented.getWidth(), oriented.getHeight()}).containsExactly(600, 450);
        // 2..8 carry Apple's "Generic RGB" profile, converted to sRGB, so a few levels of difference are expected
        assertThat(meanDiff(reference, oriented)).as("orientation %d", n).isLessThan(10);
    }

    @Test
    void theOrientationComparisonWouldCatchAMirroredImage() throws Exception {
        BufferedImage reference = render("orient1_Landscape_1.jpg", SHOW);
        BufferedImage mirrored = new AffineTransformOp(new AffineTransform(-1, 0, 0, 1, reference.getWidth(), 0),
                AffineTransformOp.TYPE_NEAREST_NEIGHBOR).filter(reference, null);
        assertThat(meanDiff(reference, mirrored)).isGreaterThan(25);
    }

    @Test
    void theAppleGenericRgbProfileIsConvertedToSrgb() throws Exception {
        Rendition exact = png("raw", 600, 450, Fit.EXACT);
        byte[] tagged = corpus("orient2_Landscape_2.jpg");
        byte[] untagged = withoutIccProfile(tagged);
        assertThat(untagged.length).as("the file has an ICC profile segment").isLessThan(tagged.length);
        BufferedImage converted = decode(engine.render(tagged, List.of(exact)).outputs().getFirst());
        BufferedImage assumedSrgb = decode(engine.render(untagged, List.of(exact)).outputs().getFirst());
        // Generic RGB (gamma 1.8, other primaries) differs from sRGB by a few levels: the profile was applied
        assertThat(meanDiff(converted, assumedSrgb)).isBetween(1.0, 20.0);
    }

    /**
     * The CMYK file is an Adobe (inverted) CMYK JPEG without a profile; read by its CMYK semantics (as TwelveMonkeys,
     * browsers and Go do) it is about a third darker than the RGB versions, because it was made from them with a
     * different black generation. So the check is on colour, not brightness: the share of red, green and blue of
     * every pixel matches, and the picture structure correlates. The classic CMYK bugs (not inverting, treating it as
     * RGB, a negative) fail both.
     */
    @ParameterizedTest
    @ValueSource(strings = {"progressive_video-001.progressive.jpeg", "gif_static_video-001.gif", "tiff_video-001.tiff"})
    void cmykJpegColoursMatchTheRgbVersionsOfThePicture(String rgbVersion) throws Exception {
        Rendition r = png("same", 150, 103, Fit.EXACT);
        BufferedImage cmyk = render("cmyk_adobe_video-001.cmyk.jpeg", r);
        BufferedImage rgb = render(rgbVersion, r);
        double[] a = chromaticity(cmyk);
        double[] b = chromaticity(rgb);
        for (int c = 0; c < 3; c++) {
            assertThat(Math.abs(a[c] - b[c])).as("share of channel %d", c).isLessThan(0.03);
        }
        assertThat(lumaCorrelation(cmyk, rgb)).isGreaterThan(0.9);
        // a linear gain cannot undo a different black generation fully (22 here); a wrong reading is 60+
        assertThat(meanDiff(brighten(cmyk, meanLuma(rgb) / meanLuma(cmyk)), rgb)).as("brightness-matched")
                .isLessThan(30);
    }

    @Test
    void pngPaletteTransparencyIsFlattenedOntoTheConfiguredBackgroundForJpeg() throws Exception {
        Rendition jpeg = rendition("flat", 64, 64, Fit.EXACT, ImageFormat.JPEG);
        for (Color bg : List.of(Color.WHITE, new Color(0xFF0000))) {
            ImageEngine e = new ImageEngine(TestImages.config(bg));
            BufferedImage out = decode(e.render(corpus("png_palette_trns_ftbbn3p08.png"), List.of(jpeg))
                    .outputs().getFirst());
            int corner = out.getRGB(1, 1);
            assertThat(TestImages.meanDiff(solid(bg, 1), solid(new Color(corner), 1)))
                    .as("corner %06x on background %06x", corner & 0xFFFFFF, bg.getRGB() & 0xFFFFFF).isLessThan(12);
        }
    }

    @Test
    void pngOutputKeepsTransparency() throws Exception {
        BufferedImage out = render("png_palette_trns_ftbbn3p08.png", png("alpha", 64, 64, Fit.EXACT));
        assertThat(out.getColorModel().hasAlpha()).isTrue();
        assertThat(out.getRGB(1, 1) >>> 24).isZero();
        assertThat(out.getRGB(32, 32) >>> 24).isEqualTo(255);
    }

    @Test
    void animatedGifUsesItsFirstFrame() throws Exception {
        byte[] gif = corpus("gif_animated_iss634.gif");
        BufferedImage out = render("gif_animated_iss634.gif", png("frame", 245, 245, Fit.EXACT));
        BufferedImage first = frame(gif, 0);
        BufferedImage later = frame(gif, 1);
        assertThat(meanDiff(toRgb(first), out)).isLessThan(2);
        assertThat(meanDiff(toRgb(first).getSubimage(0, 0, later.getWidth(), later.getHeight()), toRgb(later)))
                .as("the frames differ, so the check means something").isGreaterThan(5);
    }

    @ParameterizedTest
    @ValueSource(strings = {"webp_lossy_yellow_rose.lossy.webp", "webp_lossless_yellow_rose.lossless.webp",
        "webp_lossy_alpha_yellow_rose.lossy-with-alpha.webp"})
    void webpInputsDecode(String file) throws Exception {
        RenderResult result = engine.render(corpus(file), List.of(png("p", 200, 200, Fit.FIT),
                rendition("j", 200, 200, Fit.FIT, ImageFormat.JPEG)));
        BufferedImage asPng = decode(result.outputs().get(0));
        BufferedImage asJpeg = decode(result.outputs().get(1));
        assertThat(new int[] {asPng.getWidth(), asPng.getHeight()}).containsExactly(200, 151);
        assertThat(TestImages.chroma(asJpeg)).as("a yellow rose, not a grey blob").isGreaterThan(20);
        if (result.source().hasAlpha()) {
            assertThat(asPng.getRGB(2, 2) >>> 24).as("transparent corner stays transparent in PNG").isLessThan(16);
            assertThat(asJpeg.getRGB(2, 2) & 0xFFFFFF).as("and becomes the white background in JPEG")
                    .satisfies(p -> assertThat(TestImages.luma(p)).isGreaterThan(240));
        }
    }

    private static BufferedImage frame(byte[] gif, int index) throws Exception {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(gif))) {
            ImageReader reader = ImageIO.getImageReaders(in).next();
            try {
                reader.setInput(in);
                return reader.read(index);
            } finally {
                reader.dispose();
            }
        }
    }

    /** Share of r, g and b in the image's total r + g + b. */
    private static double[] chromaticity(BufferedImage image) {
        double[] m = TestImages.meanRgb(image);
        double t = m[0] + m[1] + m[2];
        return new double[] {m[0] / t, m[1] / t, m[2] / t};
    }

    private static double meanLuma(BufferedImage image) {
        double[] m = TestImages.meanRgb(image);
        return 0.299 * m[0] + 0.587 * m[1] + 0.114 * m[2];
    }

    private static BufferedImage brighten(BufferedImage image, double gain) {
        BufferedImage out = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int p = image.getRGB(x, y);
                int r = (int) Math.min(255, ((p >> 16) & 0xFF) * gain);
                int g = (int) Math.min(255, ((p >> 8) & 0xFF) * gain);
                int b = (int) Math.min(255, (p & 0xFF) * gain);
                out.setRGB(x, y, r << 16 | g << 8 | b);
            }
        }
        return out;
    }

    private static double lumaCorrelation(BufferedImage a, BufferedImage b) {
        double sa = 0;
        double sb = 0;
        double saa = 0;
        double sbb = 0;
        double sab = 0;
        int n = a.getWidth() * a.getHeight();
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                double la = TestImages.luma(a.getRGB(x, y));
                double lb = TestImages.luma(b.getRGB(x, y));
                sa += la;
                sb += lb;
                saa += la * la;
                sbb += lb * lb;
                sab += la * lb;
            }
        }
        double cov = sab / n - (sa / n) * (sb / n);
        return cov / Math.sqrt((saa / n - (sa / n) * (sa / n)) * (sbb / n - (sb / n) * (sb / n)));
    }

    /** The JPEG without its APP2 ICC_PROFILE segments. */
    private static byte[] withoutIccProfile(byte[] jpeg) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.write(jpeg, 0, 2);
        int p = 2;
        while (p + 4 <= jpeg.length) {
            int marker = jpeg[p + 1] & 0xFF;
            if (marker == 0xDA) {
                break;
            }
            int len = (jpeg[p + 2] & 0xFF) << 8 | (jpeg[p + 3] & 0xFF);
            boolean icc = marker == 0xE2 && new String(jpeg, p + 4, 11, java.nio.charset.StandardCharsets.ISO_8859_1)
                    .equals("ICC_PROFILE");
            if (!icc) {
                out.write(jpeg, p, 2 + len);
            }
            p += 2 + len;
        }
        out.write(jpeg, p, jpeg.length - p);
        return out.toByteArray();
    }

    private static BufferedImage toRgb(BufferedImage image) {
        BufferedImage rgb = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
        rgb.createGraphics().drawImage(image, 0, 0, null);
        return rgb;
    }

    private static BufferedImage solid(Color c, int size) {
        BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        image.setRGB(0, 0, c.getRGB());
        return image;
    }
}
