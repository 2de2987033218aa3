package io.photopipe.worker.engine.internal;

/**
 * Blurs on packed ARGB pixels (alpha kept): a Gaussian approximated by three box blurs (cost independent of the
 * radius, see W. Jarosz, "Fast Image Convolutions", 2001), and a 5-tap binomial kernel (sigma 1) for sharpening.
 */
final class Blur {

    private Blur() {
    }

    /** Gaussian blur with standard deviation {@code sigma} pixels. */
    static void gaussian(int[] px, int w, int h, double sigma) {
        int[] boxes = boxesForGauss(sigma, 3);
        int[] tmp = new int[px.length];
        for (int r : boxes) {
            int radius = (r - 1) / 2;
            if (radius < 1) {
                continue;
            }
            boxHorizontal(px, tmp, w, h, radius);
            boxVertical(tmp, px, w, h, radius);
        }
    }

    /** Box widths whose three successive passes approximate a Gaussian of {@code sigma}. */
    static int[] boxesForGauss(double sigma, int n) {
        double ideal = Math.sqrt(12 * sigma * sigma / n + 1);
        int wl = (int) Math.floor(ideal);
        if (wl % 2 == 0) {
            wl--;
        }
        int wu = wl + 2;
        double mIdeal = (12 * sigma * sigma - n * wl * wl - 4 * n * wl - 3 * n) / (-4.0 * wl - 4);
        long m = Math.round(mIdeal);
        int[] sizes = new int[n];
        for (int i = 0; i < n; i++) {
            sizes[i] = i < m ? wl : wu;
        }
        return sizes;
    }

    private static void boxHorizontal(int[] src, int[] dst, int w, int h, int r) {
        int div = 2 * r + 1;
        for (int y = 0; y < h; y++) {
            int row = y * w;
            int sr = 0;
            int sg = 0;
            int sb = 0;
            for (int k = -r; k <= r; k++) {
                int p = src[row + Math.min(w - 1, Math.max(0, k))];
                sr += (p >> 16) & 0xFF;
                sg += (p >> 8) & 0xFF;
                sb += p & 0xFF;
            }
            for (int x = 0; x < w; x++) {
                dst[row + x] = (src[row + x] & 0xFF000000) | (sr / div) << 16 | (sg / div) << 8 | (sb / div);
                int out = src[row + Math.max(0, x - r)];
                int in = src[row + Math.min(w - 1, x + r + 1)];
                sr += ((in >> 16) & 0xFF) - ((out >> 16) & 0xFF);
                sg += ((in >> 8) & 0xFF) - ((out >> 8) & 0xFF);
                sb += (in & 0xFF) - (out & 0xFF);
            }
        }
    }

    private static void boxVertical(int[] src, int[] dst, int w, int h, int r) {
        int div = 2 * r + 1;
        int[] sr = new int[w];
        int[] sg = new int[w];
        int[] sb = new int[w];
        for (int k = -r; k <= r; k++) {
            int row = Math.min(h - 1, Math.max(0, k)) * w;
            for (int x = 0; x < w; x++) {
                int p = src[row + x];
                sr[x] += (p >> 16) & 0xFF;
                sg[x] += (p >> 8) & 0xFF;
                sb[x] += p & 0xFF;
            }
        }
        for (int y = 0; y < h; y++) {
            int row = y * w;
            int outRow = Math.max(0, y - r) * w;
            int inRow = Math.min(h - 1, y + r + 1) * w;
            for (int x = 0; x < w; x++) {
                dst[row + x] = (src[row + x] & 0xFF000000) | (sr[x] / div) << 16 | (sg[x] / div) << 8 | (sb[x] / div);
                int out = src[outRow + x];
                int in = src[inRow + x];
                sr[x] += ((in >> 16) & 0xFF) - ((out >> 16) & 0xFF);
                sg[x] += ((in >> 8) & 0xFF) - ((out >> 8) & 0xFF);
                sb[x] += (in & 0xFF) - (out & 0xFF);
            }
        }
    }

    /** Separable [1 4 6 4 1] / 16 kernel, edges clamped. */
    static void binomial5(int[] px, int w, int h) {
        int[] tmp = new int[px.length];
        for (int y = 0; y < h; y++) {
            int row = y * w;
            for (int x = 0; x < w; x++) {
                tmp[row + x] = taps(px[row + clampI(x - 2, w)], px[row + clampI(x - 1, w)], px[row + x],
                        px[row + clampI(x + 1, w)], px[row + clampI(x + 2, w)]);
            }
        }
        for (int y = 0; y < h; y++) {
            int r0 = clampI(y - 2, h) * w;
            int r1 = clampI(y - 1, h) * w;
            int r2 = y * w;
            int r3 = clampI(y + 1, h) * w;
            int r4 = clampI(y + 2, h) * w;
            for (int x = 0; x < w; x++) {
                px[r2 + x] = taps(tmp[r0 + x], tmp[r1 + x], tmp[r2 + x], tmp[r3 + x], tmp[r4 + x]);
            }
        }
    }

    /** Red and blue in two 16-bit lanes, green alone: the weights sum to 16, so lanes never overflow. */
    private static int taps(int a, int b, int c, int d, int e) {
        int rb = (a & 0xFF00FF) + 4 * (b & 0xFF00FF) + 6 * (c & 0xFF00FF) + 4 * (d & 0xFF00FF) + (e & 0xFF00FF)
                + 0x80008;
        int g = (a & 0xFF00) + 4 * (b & 0xFF00) + 6 * (c & 0xFF00) + 4 * (d & 0xFF00) + (e & 0xFF00) + 0x800;
        return (c & 0xFF000000) | ((rb >>> 4) & 0xFF00FF) | ((g >>> 4) & 0xFF00);
    }

    private static int clampI(int v, int n) {
        return v < 0 ? 0 : Math.min(v, n - 1);
    }
}
