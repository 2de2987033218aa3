package io.photopipe.worker.engine;

import io.photopipe.core.Filter;
import io.photopipe.core.Fit;
import io.photopipe.core.ImageFormat;
import io.photopipe.core.Rendition;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;

/** Fixtures and pixel statistics shared by the engine tests. */
final class TestImages {

    static final long MB = 1L << 20;

    private TestImages() {
    }

    /** A corpus file from src/test/resources/corpus/images (copied from shared/corpus, see LICENSES.md there). */
    static byte[] corpus(String name) {
        try (InputStream in = TestImages.class.getResourceAsStream("/corpus/images/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no corpus file " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ImageEngine engine() {
        return new ImageEngine(config(Color.WHITE));
    }

    static EngineConfig config(Color background) {
        return new EngineConfig(100 * MB, 120_000_000, background, 256 * MB);
    }

    static Rendition rendition(String name, int w, int h, Fit fit, ImageFormat format, String... filters) {
        return new Rendition(name, w, h, fit, format, 0.9, Arrays.stream(filters).map(Filter::parse).toList());
    }

    static Rendition png(String name, int w, int h, Fit fit, String... filters) {
        return rendition(name, w, h, fit, ImageFormat.PNG, filters);
    }

    static BufferedImage decode(byte[] bytes) {
        try {
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
            if (image == null) {
                throw new IllegalArgumentException("not decodable");
            }
            return image;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static BufferedImage decode(RenderedImage r) {
        return decode(r.bytes());
    }

    static byte[] encodePng(BufferedImage image) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(image, "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A deterministic test card: hue gradient left to right, light to dark top to bottom, a few hard edges. */
    static BufferedImage card(int w, int h) {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float hue = x / (float) w;
                float bright = 0.35f + 0.6f * (1 - y / (float) h);
                int rgb = Color.HSBtoRGB(hue, 0.6f, bright);
                if (((x / 16) + (y / 16)) % 7 == 0) {
                    rgb = 0x202020;
                }
                image.setRGB(x, y, rgb);
            }
        }
        return image;
    }

    /** Deterministic noise (for blur/sharpen statistics). */
    static BufferedImage noise(int w, int h, long seed) {
        java.util.Random random = new java.util.Random(seed);
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int v = 64 + random.nextInt(128);
                image.setRGB(x, y, v << 16 | v << 8 | v);
            }
        }
        return image;
    }

    /** Mean absolute difference per channel (0-255) of two images of the same size. */
    static double meanDiff(BufferedImage a, BufferedImage b) {
        if (a.getWidth() != b.getWidth() || a.getHeight() != b.getHeight()) {
            throw new AssertionError("sizes differ: " + a.getWidth() + "x" + a.getHeight() + " vs "
                    + b.getWidth() + "x" + b.getHeight());
        }
        long sum = 0;
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                int p = a.getRGB(x, y);
                int q = b.getRGB(x, y);
                sum += Math.abs(((p >> 16) & 0xFF) - ((q >> 16) & 0xFF)) + Math.abs(((p >> 8) & 0xFF) - ((q >> 8) & 0xFF))
                        + Math.abs((p & 0xFF) - (q & 0xFF));
            }
        }
        return sum / (3.0 * a.getWidth() * a.getHeight());
    }

    /** Mean of each channel {r, g, b}. */
    static double[] meanRgb(BufferedImage a) {
        double[] m = new double[3];
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                int p = a.getRGB(x, y);
                m[0] += (p >> 16) & 0xFF;
                m[1] += (p >> 8) & 0xFF;
                m[2] += p & 0xFF;
            }
        }
        double n = (double) a.getWidth() * a.getHeight();
        return new double[] {m[0] / n, m[1] / n, m[2] / n};
    }

    static double luma(int p) {
        return 0.299 * ((p >> 16) & 0xFF) + 0.587 * ((p >> 8) & 0xFF) + 0.114 * (p & 0xFF);
    }

    /** Standard deviation of luma. */
    static double lumaStdDev(BufferedImage a) {
        double sum = 0;
        double sq = 0;
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                double l = luma(a.getRGB(x, y));
                sum += l;
                sq += l * l;
            }
        }
        double n = (double) a.getWidth() * a.getHeight();
        double mean = sum / n;
        return Math.sqrt(Math.max(0, sq / n - mean * mean));
    }

    /** Mean absolute luma difference between horizontal neighbours: high-frequency energy. */
    static double edgeEnergy(BufferedImage a) {
        double sum = 0;
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 1; x < a.getWidth(); x++) {
                sum += Math.abs(luma(a.getRGB(x, y)) - luma(a.getRGB(x - 1, y)));
            }
        }
        return sum / ((double) (a.getWidth() - 1) * a.getHeight());
    }

    /** Mean of max(r,g,b) - min(r,g,b): how colourful. */
    static double chroma(BufferedImage a) {
        double sum = 0;
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                int p = a.getRGB(x, y);
                int r = (p >> 16) & 0xFF;
                int g = (p >> 8) & 0xFF;
                int b = p & 0xFF;
                sum += Math.max(r, Math.max(g, b)) - Math.min(r, Math.min(g, b));
            }
        }
        return sum / ((double) a.getWidth() * a.getHeight());
    }

    static List<String> goodCorpus() {
        return List.of("baseline_testorig.jpg", "bmp_rle8_hopper_rle8.bmp", "camera_nokia_lumia820_starfish.jpg",
                "cmyk_adobe_video-001.cmyk.jpeg", "gif_animated_iss634.gif", "gif_static_video-001.gif",
                "orient1_Landscape_1.jpg", "orient2_Landscape_2.jpg", "orient3_Landscape_3.jpg",
                "orient4_Landscape_4.jpg", "orient5_Landscape_5.jpg", "orient6_Landscape_6.jpg",
                "orient7_Landscape_7.jpg", "orient8_Landscape_8.jpg", "png_interlaced_benchRGB-interlace.png",
                "png_palette_trns_ftbbn3p08.png", "progressive_video-001.progressive.jpeg", "tiff_video-001.tiff",
                "webp_lossless_yellow_rose.lossless.webp", "webp_lossy_alpha_yellow_rose.lossy-with-alpha.webp",
                "webp_lossy_yellow_rose.lossy.webp");
    }
}
