package io.photopipe.worker.engine.internal;

/**
 * Separable Catmull-Rom (bicubic, a = -0.5) resampling of {@link Pixels}, with the kernel widened by the scale
 * factor when shrinking so every source pixel contributes (no aliasing), fixed-point weights, and a source
 * rectangle so {@code cover} crops resample only what they keep. Premultiplied alpha is resampled like colour.
 * Shrinking by 2x or more first halves the source with a 2x2 box filter (two channels per int operation) as many
 * times as it stays at least the target size, like libvips' shrink-then-reduce: the cubic then only has a few taps.
 */
public final class Resampler {

    private static final int BITS = 14;
    private static final int ONE = 1 << BITS;
    private static final int HALF = 1 << (BITS - 1);

    private Resampler() {
    }

    /** Resamples the whole of {@code src} to {@code dw x dh}. */
    public static Pixels resize(Pixels src, int dw, int dh) {
        return resize(src, 0, 0, src.width(), src.height(), dw, dh);
    }

    /** Resamples the rectangle {@code (sx, sy, sw, sh)} of {@code src} (in source pixels) to {@code dw x dh}. */
    public static Pixels resize(Pixels src, double sx, double sy, double sw, double sh, int dw, int dh) {
        if (dw == src.width() && dh == src.height() && sx == 0 && sy == 0 && sw == src.width() && sh == src.height()) {
            return src;
        }
        while (sw >= 2.0 * dw && sh >= 2.0 * dh && src.width() >= 2 && src.height() >= 2) {
            src = halve(src);
            sx /= 2;
            sy /= 2;
            sw /= 2;
            sh /= 2;
        }
        if (dw == src.width() && dh == src.height() && sx == 0 && sy == 0 && sw == src.width() && sh == src.height()) {
            return src;
        }
        Weights wx = Weights.of(src.width(), sx, sw, dw);
        Weights wy = Weights.of(src.height(), sy, sh, dh);
        int firstRow = wy.minIndex();
        int rows = wy.maxIndex() - firstRow + 1;
        int[] tmp = new int[dw * rows];
        horizontal(src, wx, firstRow, rows, dw, tmp);
        int[] out = new int[dw * dh];
        vertical(tmp, dw, firstRow, wy, dh, out, src.alpha());
        return new Pixels(dw, dh, out, src.alpha());
    }

    /**
     * 2x2 box average; an odd last column or row is averaged with itself. Red/blue and alpha/green are summed as
     * two 16-bit lanes of one int (four 8-bit values never exceed 1020).
     */
    static Pixels halve(Pixels src) {
        int w = src.width();
        int h = src.height();
        int hw = (w + 1) / 2;
        int hh = (h + 1) / 2;
        int[] in = src.argb();
        int[] out = new int[hw * hh];
        for (int y = 0; y < hh; y++) {
            int r0 = 2 * y * w;
            int r1 = Math.min(2 * y + 1, h - 1) * w;
            int o = y * hw;
            for (int x = 0; x < hw; x++) {
                int x0 = 2 * x;
                int x1 = Math.min(x0 + 1, w - 1);
                int a = in[r0 + x0];
                int b = in[r0 + x1];
                int c = in[r1 + x0];
                int d = in[r1 + x1];
                int rb = (a & 0xFF00FF) + (b & 0xFF00FF) + (c & 0xFF00FF) + (d & 0xFF00FF) + 0x20002;
                int ag = ((a >>> 8) & 0xFF00FF) + ((b >>> 8) & 0xFF00FF) + ((c >>> 8) & 0xFF00FF)
                        + ((d >>> 8) & 0xFF00FF) + 0x20002;
                out[o + x] = ((rb >>> 2) & 0xFF00FF) | ((ag >>> 2) & 0xFF00FF) << 8;
            }
        }
        return new Pixels(hw, hh, out, src.alpha());
    }

    /*
     * The loops below carry two channels per long: red at bit 32 and blue at bit 0 (alpha and green likewise).
     * Weights are signed (the cubic has negative lobes), but two's complement sums stay exact: the low lane is read
     * back as a signed int and subtracted before the high lane is shifted down.
     */

    private static void horizontal(Pixels src, Weights w, int firstRow, int rows, int dw, int[] tmp) {
        int[] in = src.argb();
        int sw = src.width();
        long[] rb = new long[sw];
        long[] ag = new long[sw];
        int[] start = w.start;
        int[] count = w.count;
        int[] offset = w.offset;
        int[] weight = w.weight;
        for (int r = 0; r < rows; r++) {
            int rowStart = (firstRow + r) * sw;
            for (int x = 0; x < sw; x++) {
                int p = in[rowStart + x];
                rb[x] = (p & 0xFF0000L) << 16 | (p & 0xFF);
                ag[x] = (p & 0xFF000000L) << 8 | ((p >> 8) & 0xFF);
            }
            int outStart = r * dw;
            for (int x = 0; x < dw; x++) {
                int s0 = start[x];
                int n = count[x];
                int off = offset[x];
                long accRb = 0;
                long accAg = 0;
                for (int k = 0; k < n; k++) {
                    long wt = weight[off + k];
                    accRb += rb[s0 + k] * wt;
                    accAg += ag[s0 + k] * wt;
                }
                tmp[outStart + x] = pack(accRb, accAg);
            }
        }
    }

    private static void vertical(int[] tmp, int dw, int firstRow, Weights w, int dh, int[] out, boolean alpha) {
        long[] accRb = new long[dw];
        long[] accAg = new long[dw];
        for (int y = 0; y < dh; y++) {
            java.util.Arrays.fill(accRb, 0);
            java.util.Arrays.fill(accAg, 0);
            int first = w.start[y] - firstRow;
            int n = w.count[y];
            int off = w.offset[y];
            for (int k = 0; k < n; k++) {
                long wt = w.weight[off + k];
                int row = (first + k) * dw;
                for (int x = 0; x < dw; x++) {
                    int p = tmp[row + x];
                    accRb[x] += ((p & 0xFF0000L) << 16 | (p & 0xFF)) * wt;
                    accAg[x] += ((p & 0xFF000000L) << 8 | ((p >> 8) & 0xFF)) * wt;
                }
            }
            int outStart = y * dw;
            for (int x = 0; x < dw; x++) {
                int p = pack(accRb[x], accAg[x]);
                out[outStart + x] = alpha ? premultipliedSafe(p) : p | 0xFF000000;
            }
        }
    }

    /** Rounds two lanes of fixed-point sums back to 8 bits each and packs them as ARGB. */
    private static int pack(long accRb, long accAg) {
        int lowB = (int) accRb;
        int hiR = (int) ((accRb - lowB) >> 32);
        int lowG = (int) accAg;
        int hiA = (int) ((accAg - lowG) >> 32);
        return clamp((hiA + HALF) >> BITS) << 24 | clamp((hiR + HALF) >> BITS) << 16
                | clamp((lowG + HALF) >> BITS) << 8 | clamp((lowB + HALF) >> BITS);
    }

    /** Premultiplied: colour never exceeds alpha (the cubic's overshoot could break that). */
    private static int premultipliedSafe(int p) {
        int a = p >>> 24;
        return a << 24 | Math.min((p >> 16) & 0xFF, a) << 16 | Math.min((p >> 8) & 0xFF, a) << 8 | Math.min(p & 0xFF, a);
    }

    private static int clamp(int v) {
        return v < 0 ? 0 : Math.min(v, 255);
    }

    static double kernel(double x) {
        x = Math.abs(x);
        if (x < 1) {
            return (1.5 * x - 2.5) * x * x + 1;
        }
        if (x < 2) {
            return ((-0.5 * x + 2.5) * x - 4) * x + 2;
        }
        return 0;
    }

    /** For each output index: the first source index, the number of taps and their fixed-point weights. */
    private record Weights(int[] start, int[] count, int[] offset, int[] weight) {

        static Weights of(int srcSize, double srcStart, double srcLength, int dstSize) {
            double scale = srcLength / dstSize;
            double widen = Math.max(1.0, scale);
            double support = 2 * widen;
            int maxTaps = (int) Math.ceil(support * 2) + 2;
            int[] start = new int[dstSize];
            int[] count = new int[dstSize];
            int[] offset = new int[dstSize];
            int[] weight = new int[dstSize * maxTaps];
            double[] w = new double[maxTaps];
            for (int i = 0; i < dstSize; i++) {
                double centre = srcStart + (i + 0.5) * scale;
                int lo = (int) Math.floor(centre - support);
                int hi = (int) Math.ceil(centre + support);
                lo = Math.max(lo, 0);
                hi = Math.min(hi, srcSize - 1);
                int n = Math.min(hi - lo + 1, maxTaps);
                double sum = 0;
                for (int k = 0; k < n; k++) {
                    w[k] = kernel((lo + k + 0.5 - centre) / widen);
                    sum += w[k];
                }
                // trim zero weights at both ends (cheaper loops)
                int first = 0;
                while (first < n - 1 && w[first] == 0) {
                    first++;
                }
                int last = n - 1;
                while (last > first && w[last] == 0) {
                    last--;
                }
                start[i] = lo + first;
                count[i] = last - first + 1;
                offset[i] = i * maxTaps;
                int total = 0;
                for (int k = first; k <= last; k++) {
                    int fixed = (int) Math.round(w[k] / sum * ONE);
                    weight[offset[i] + k - first] = fixed;
                    total += fixed;
                }
                // rounding error goes to the largest (centre) tap so weights sum to exactly one
                int centreTap = (int) Math.min(Math.max(Math.floor(centre) - start[i], 0), count[i] - 1);
                weight[offset[i] + centreTap] += ONE - total;
            }
            return new Weights(start, count, offset, weight);
        }

        int minIndex() {
            int m = Integer.MAX_VALUE;
            for (int s : start) {
                m = Math.min(m, s);
            }
            return m;
        }

        int maxIndex() {
            int m = 0;
            for (int i = 0; i < start.length; i++) {
                m = Math.max(m, start[i] + count[i] - 1);
            }
            return m;
        }
    }
}
