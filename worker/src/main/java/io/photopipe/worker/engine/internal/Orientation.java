package io.photopipe.worker.engine.internal;

/**
 * Applies an EXIF orientation (1 to 8) so the pixels are upright as the camera meant them. See the Orientation tag
 * (0x0112) in <a href="https://www.cipa.jp/std/documents/download_e.html?DC-008-Translation-2023-E">EXIF 3.0</a>:
 * 2 mirror horizontal, 3 rotate 180, 4 mirror vertical, 5 transpose, 6 rotate 90 CW, 7 transverse, 8 rotate 90 CCW.
 */
public final class Orientation {

    private Orientation() {
    }

    /** Whether the orientation swaps width and height. */
    public static boolean swapsSides(int orientation) {
        return orientation >= 5 && orientation <= 8;
    }

    /** The upright image (a new one, or {@code src} itself for orientation 1). */
    public static Pixels apply(Pixels src, int orientation) {
        if (orientation < 2 || orientation > 8) {
            return src;
        }
        int w = src.width();
        int h = src.height();
        int[] in = src.argb();
        boolean swap = swapsSides(orientation);
        int dw = swap ? h : w;
        int dh = swap ? w : h;
        int[] out = new int[w * h];
        for (int y = 0; y < h; y++) {
            int row = y * w;
            for (int x = 0; x < w; x++) {
                int dx;
                int dy;
                switch (orientation) {
                    case 2 -> { dx = w - 1 - x; dy = y; }
                    case 3 -> { dx = w - 1 - x; dy = h - 1 - y; }
                    case 4 -> { dx = x; dy = h - 1 - y; }
                    case 5 -> { dx = y; dy = x; }
                    case 6 -> { dx = h - 1 - y; dy = x; }
                    case 7 -> { dx = h - 1 - y; dy = w - 1 - x; }
                    default -> { dx = y; dy = w - 1 - x; }
                }
                out[dy * dw + dx] = in[row + x];
            }
        }
        return new Pixels(dw, dh, out, src.alpha());
    }
}
