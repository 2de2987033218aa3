package io.photopipe.bench;

import java.awt.Graphics2D;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorConvertOp;
import java.awt.image.DataBufferInt;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import javax.imageio.ImageIO;

/**
 * The quality reference: the photo decoded at full resolution by ImageIO (TwelveMonkeys; colours converted to
 * sRGB), turned upright by its EXIF orientation, then shrunk to a rendition's exact size by <b>area averaging</b>:
 * each output pixel is the mean of the source area it covers, fractional edge pixels weighted by their overlap.
 *
 * <p>Why area averaging: it has no kernel to tune and no aliasing or ringing at the 2-40x reductions renditions
 * make, so it favours neither contender's resampler (vips' lanczos3, the engine's Catmull-Rom after DCT scaling).
 * Why in sRGB values rather than linear light: both contenders resample gamma-encoded sRGB (vipsthumbnail without
 * {@code --linear}, the engine likewise), so a linear-light reference would add the same systematic error to both
 * and hide the differences this is meant to show. It is written here, independent of the engine's own decode and
 * orientation code, so a bug there shows up as a low PSNR instead of agreeing with itself.
 */
final class Reference {
    private final int width;
    private final int height;
    private final int[] rgb;

    private Reference(int width, int height, int[] rgb) {
        this.width = width;
        this.height = height;
        this.rgb = rgb;
    }

    /** Decodes {@code photo} at full size, upright. */
    static Reference of(byte[] photo, int orientation) throws IOException {
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(photo));
        if (img == null) {
            throw new IOException("ImageIO has no reader for this photo");
        }
        return upright(srgb(img), img.getWidth(), img.getHeight(), orientation);
    }

    int width() {
        return width;
    }

    int height() {
        return height;
    }

    /** The pixels of an encoded rendition (JPEG, PNG, WebP), 0xRRGGBB. */
    static int[] decode(byte[] encoded, int[] size) throws IOException {
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(encoded));
        if (img == null) {
            throw new IOException("ImageIO cannot read the rendition");
        }
        size[0] = img.getWidth();
        size[1] = img.getHeight();
        return srgb(img);
    }

    private static int[] srgb(BufferedImage img) {
        BufferedImage out = new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_INT_RGB);
        if (img.getColorModel().getColorSpace().isCS_sRGB()) {
            Graphics2D g = out.createGraphics();
            g.drawImage(img, 0, 0, null);
            g.dispose();
        } else { // an ICC profile (Adobe RGB, Display P3...) or CMYK
            new ColorConvertOp(ColorSpace.getInstance(ColorSpace.CS_sRGB), null).filter(img, out);
        }
        return ((DataBufferInt) out.getRaster().getDataBuffer()).getData();
    }

    /** EXIF orientation 1-8 applied: the pixel shown at (x, y) is read from where the sensor stored it. */
    static Reference upright(int[] src, int w, int h, int orientation) {
        boolean swap = orientation >= 5 && orientation <= 8;
        int ow = swap ? h : w;
        int oh = swap ? w : h;
        int[] out = new int[ow * oh];
        for (int y = 0; y < oh; y++) {
            for (int x = 0; x < ow; x++) {
                int sx;
                int sy;
                switch (orientation) {
                    case 2 -> { sx = w - 1 - x; sy = y; }
                    case 3 -> { sx = w - 1 - x; sy = h - 1 - y; }
                    case 4 -> { sx = x; sy = h - 1 - y; }
                    case 5 -> { sx = y; sy = x; }
                    case 6 -> { sx = y; sy = h - 1 - x; }
                    case 7 -> { sx = w - 1 - y; sy = h - 1 - x; }
                    case 8 -> { sx = w - 1 - y; sy = x; }
                    default -> { sx = x; sy = y; }
                }
                out[y * ow + x] = src[sy * w + sx];
            }
        }
        return new Reference(ow, oh, out);
    }

    /** The whole frame area-averaged to {@code w x h}, 0xRRGGBB. */
    int[] shrink(int w, int h) {
        float[] rows = new float[w * height * 3]; // horizontal pass: width -> w
        Weights wx = Weights.of(width, w);
        for (int y = 0; y < height; y++) {
            int line = y * width;
            for (int x = 0; x < w; x++) {
                float r = 0;
                float g = 0;
                float b = 0;
                for (int k = 0; k < wx.weights[x].length; k++) {
                    int p = rgb[line + wx.first[x] + k];
                    float f = wx.weights[x][k];
                    r += f * ((p >> 16) & 0xFF);
                    g += f * ((p >> 8) & 0xFF);
                    b += f * (p & 0xFF);
                }
                int o = (y * w + x) * 3;
                rows[o] = r;
                rows[o + 1] = g;
                rows[o + 2] = b;
            }
        }
        int[] out = new int[w * h]; // vertical pass: height -> h
        Weights wy = Weights.of(height, h);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float r = 0;
                float g = 0;
                float b = 0;
                for (int k = 0; k < wy.weights[y].length; k++) {
                    int o = ((wy.first[y] + k) * w + x) * 3;
                    float f = wy.weights[y][k];
                    r += f * rows[o];
                    g += f * rows[o + 1];
                    b += f * rows[o + 2];
                }
                out[y * w + x] = clamp(r) << 16 | clamp(g) << 8 | clamp(b);
            }
        }
        return out;
    }

    private static int clamp(float v) {
        return Math.max(0, Math.min(255, Math.round(v)));
    }

    /** For each output index, the first source index it covers and the normalised overlap of each source pixel. */
    private record Weights(int[] first, float[][] weights) {
        static Weights of(int from, int to) {
            double scale = from / (double) to;
            int[] first = new int[to];
            float[][] weights = new float[to][];
            for (int o = 0; o < to; o++) {
                double a = o * scale;
                double b = Math.min(from, (o + 1) * scale);
                int i0 = Math.min(from - 1, (int) Math.floor(a));
                int i1 = Math.max(i0 + 1, (int) Math.ceil(b));
                first[o] = i0;
                weights[o] = new float[i1 - i0];
                double total = 0;
                for (int i = i0; i < i1; i++) {
                    total += Math.max(0, Math.min(b, i + 1) - Math.max(a, i));
                }
                for (int i = i0; i < i1; i++) {
                    double overlap = Math.max(0, Math.min(b, i + 1) - Math.max(a, i));
                    weights[o][i - i0] = (float) (total > 0 ? overlap / total : 1.0 / (i1 - i0));
                }
            }
            return new Weights(first, weights);
        }
    }
}
