package io.photopipe.worker.engine;

/**
 * What a photo's header says, read without decoding pixels.
 *
 * @param format      the format sniffed from the first bytes ({@code jpeg}, {@code png}, {@code gif}, {@code webp},
 *                    {@code tiff}, {@code bmp})
 * @param width       stored width in pixels (before orientation is applied)
 * @param height      stored height in pixels
 * @param orientation EXIF orientation 1 to 8 (1 when absent)
 * @param hasAlpha    whether the photo has transparency
 * @param frames      number of frames (1 for still images; animated GIF/WebP may have more; -1 when unknown)
 */
public record ImageInfo(String format, int width, int height, int orientation, boolean hasAlpha, int frames) {

    /** Width x height as stored. */
    public long pixels() {
        return (long) width * height;
    }

    /** Width as displayed, after the EXIF orientation (5 to 8 swap the sides). */
    public int displayWidth() {
        return orientation >= 5 ? height : width;
    }

    /** Height as displayed, after the EXIF orientation. */
    public int displayHeight() {
        return orientation >= 5 ? width : height;
    }
}
