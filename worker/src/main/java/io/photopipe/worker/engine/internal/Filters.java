package io.photopipe.worker.engine.internal;

import io.photopipe.core.Filter;
import java.util.List;

/**
 * The filter chain, applied in order, in place, on straight (not premultiplied) ARGB pixels after resizing, so each
 * filter costs a pass over the output only. Alpha is never changed.
 */
public final class Filters {

    private Filters() {
    }

    /** Applies {@code filters} to {@code argb} ({@code w x h}). */
    public static void apply(int[] argb, int w, int h, boolean alpha, List<Filter> filters) {
        for (Filter f : filters) {
            switch (f.kind()) {
                case GRAYSCALE -> grayscale(argb);
                case SEPIA -> sepia(argb, f.amount());
                case BRIGHTNESS -> linear(argb, f.amount(), 0);
                case CONTRAST -> linear(argb, f.amount(), 128 * (1 - f.amount()));
                case SATURATION -> saturation(argb, f.amount());
                case BLUR -> Blur.gaussian(argb, w, h, f.amount());
                case SHARPEN -> sharpen(argb, w, h, f.amount());
                case VIGNETTE -> vignette(argb, w, h, f.amount());
                case WATERMARK -> Watermark.draw(argb, w, h, alpha, f.text());
            }
        }
    }

    /** Rec. 601 luma in fixed point; the weights sum to 256. */
    static int luma(int p) {
        return (77 * ((p >> 16) & 0xFF) + 150 * ((p >> 8) & 0xFF) + 29 * (p & 0xFF)) >> 8;
    }

    static void grayscale(int[] px) {
        for (int i = 0; i < px.length; i++) {
            int p = px[i];
            int y = luma(p);
            px[i] = (p & 0xFF000000) | y << 16 | y << 8 | y;
        }
    }

    /** The classic sepia matrix, mixed with the original by {@code amount}. */
    static void sepia(int[] px, double amount) {
        double k = amount;
        double[] m = {
            1 - k + k * 0.393, k * 0.769, k * 0.189,
            k * 0.349, 1 - k + k * 0.686, k * 0.168,
            k * 0.272, k * 0.534, 1 - k + k * 0.131};
        int[] f = new int[9];
        for (int i = 0; i < 9; i++) {
            f[i] = (int) Math.round(m[i] * 1024);
        }
        for (int i = 0; i < px.length; i++) {
            int p = px[i];
            int r = (p >> 16) & 0xFF;
            int g = (p >> 8) & 0xFF;
            int b = p & 0xFF;
            int nr = clamp((f[0] * r + f[1] * g + f[2] * b) >> 10);
            int ng = clamp((f[3] * r + f[4] * g + f[5] * b) >> 10);
            int nb = clamp((f[6] * r + f[7] * g + f[8] * b) >> 10);
            px[i] = (p & 0xFF000000) | nr << 16 | ng << 8 | nb;
        }
    }

    /** {@code c * gain + offset} on every colour channel, through a 256-entry table. */
    static void linear(int[] px, double gain, double offset) {
        int[] lut = new int[256];
        for (int v = 0; v < 256; v++) {
            lut[v] = clamp((int) Math.round(v * gain + offset));
        }
        for (int i = 0; i < px.length; i++) {
            int p = px[i];
            px[i] = (p & 0xFF000000) | lut[(p >> 16) & 0xFF] << 16 | lut[(p >> 8) & 0xFF] << 8 | lut[p & 0xFF];
        }
    }

    /** Moves each channel away from (factor > 1) or towards (factor < 1) the pixel's luma. */
    static void saturation(int[] px, double factor) {
        int f = (int) Math.round(factor * 1024);
        for (int i = 0; i < px.length; i++) {
            int p = px[i];
            int y = luma(p);
            int r = clamp(y + ((((p >> 16) & 0xFF) - y) * f >> 10));
            int g = clamp(y + ((((p >> 8) & 0xFF) - y) * f >> 10));
            int b = clamp(y + (((p & 0xFF) - y) * f >> 10));
            px[i] = (p & 0xFF000000) | r << 16 | g << 8 | b;
        }
    }

    /** Unsharp mask: {@code original + amount * (original - blurred)}, blurred with a sigma of about one pixel. */
    static void sharpen(int[] px, int w, int h, double amount) {
        if (amount <= 0) {
            return;
        }
        int[] blurred = px.clone();
        Blur.binomial5(blurred, w, h);
        int k = (int) Math.round(amount * 1024);
        for (int i = 0; i < px.length; i++) {
            int p = px[i];
            int q = blurred[i];
            int r = (p >> 16) & 0xFF;
            int g = (p >> 8) & 0xFF;
            int b = p & 0xFF;
            r = clamp(r + ((r - ((q >> 16) & 0xFF)) * k >> 10));
            g = clamp(g + ((g - ((q >> 8) & 0xFF)) * k >> 10));
            b = clamp(b + ((b - (q & 0xFF)) * k >> 10));
            px[i] = (p & 0xFF000000) | r << 16 | g << 8 | b;
        }
    }

    /**
     * Darkens towards the corners: no change inside 40% of the half-diagonal, then a smooth fall to
     * {@code 1 - amount} at the corners.
     */
    static void vignette(int[] px, int w, int h, double amount) {
        double cx = (w - 1) / 2.0;
        double cy = (h - 1) / 2.0;
        double[] dy2 = new double[h];
        for (int y = 0; y < h; y++) {
            double d = (y - cy) / Math.max(cy, 0.5);
            dy2[y] = d * d;
        }
        int[] gain = new int[w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double dx = (x - cx) / Math.max(cx, 0.5);
                double d = Math.sqrt((dx * dx + dy2[y]) / 2);
                double t = Math.min(1, Math.max(0, (d - 0.4) / 0.6));
                double smooth = t * t * (3 - 2 * t);
                gain[x] = (int) Math.round((1 - amount * smooth) * 1024);
            }
            int row = y * w;
            for (int x = 0; x < w; x++) {
                int p = px[row + x];
                int g = gain[x];
                int r = (((p >> 16) & 0xFF) * g) >> 10;
                int gg = (((p >> 8) & 0xFF) * g) >> 10;
                int b = ((p & 0xFF) * g) >> 10;
                px[row + x] = (p & 0xFF000000) | r << 16 | gg << 8 | b;
            }
        }
    }

    static int clamp(int v) {
        return v < 0 ? 0 : Math.min(v, 255);
    }
}
