package io.photopipe.worker.engine.internal;

/**
 * Separable Catmull-Rom (bicubic, a = -0.5) resampling of {@link Pixels}, with the kernel widened by the scale
 * factor when shrinking so every source pixel contributes (no aliasing), fixed-point weights, and a source
 * rectangle so {@code cover} crops resample only what they keep. Premultiplied alpha is resampled like colour.
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

    private static void horizontal(Pixels src, Weights w, int firstRow, int rows, int dw, int[] tmp) {
        int[] in = src.argb();
        int sw = src.width();
        boolean alpha = src.alpha();
        for (int r = 0; r < rows; r++) {
            int rowStart = (firstRow + r) * sw;
            int outStart = r * dw;
            for (int x = 0; x < dw; x++) {
                int start = w.start[x];
                int n = w.count[x];
                int off = w.offset[x];
                int a = HALF;
                int red = HALF;
                int g = HALF;
                int b = HALF;
                for (int k = 0; k < n; k++) {
                    int p = in[rowStart + start + k];
                    int wt = w.weight[off + k];
                    red += ((p >> 16) & 0xFF) * wt;
                    g += ((p >> 8) & 0xFF) * wt;
                    b += (p & 0xFF) * wt;
                    if (alpha) {
                        a += (p >>> 24) * wt;
                    }
                }
                tmp[outStart + x] = pack(a, red, g, b, alpha);
            }
        }
    }

    private static void vertical(int[] tmp, int dw, int firstRow, Weights w, int dh, int[] out, boolean alpha) {
        for (int y = 0; y < dh; y++) {
            int start = w.start[y] - firstRow;
            int n = w.count[y];
            int off = w.offset[y];
            int outStart = y * dw;
            for (int x = 0; x < dw; x++) {
                int a = HALF;
                int red = HALF;
                int g = HALF;
                int b = HALF;
                int idx = start * dw + x;
                for (int k = 0; k < n; k++, idx += dw) {
                    int p = tmp[idx];
                    int wt = w.weight[off + k];
                    red += ((p >> 16) & 0xFF) * wt;
                    g += ((p >> 8) & 0xFF) * wt;
                    b += (p & 0xFF) * wt;
                    if (alpha) {
                        a += (p >>> 24) * wt;
                    }
                }
                out[outStart + x] = pack(a, red, g, b, alpha);
            }
        }
    }

    private static int pack(int a, int r, int g, int b, boolean alpha) {
        int rr = clamp(r >> BITS);
        int gg = clamp(g >> BITS);
        int bb = clamp(b >> BITS);
        if (!alpha) {
            return 0xFF000000 | rr << 16 | gg << 8 | bb;
        }
        int aa = clamp(a >> BITS);
        // premultiplied: colour never exceeds alpha (the cubic's overshoot could break that)
        return aa << 24 | Math.min(rr, aa) << 16 | Math.min(gg, aa) << 8 | Math.min(bb, aa);
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
