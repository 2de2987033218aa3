package io.photopipe.worker.engine;

import io.photopipe.core.Rendition;

/**
 * One encoded output.
 *
 * @param rendition   what it was made for
 * @param bytes       the encoded file (no metadata: no EXIF, GPS or ICC profile; sRGB)
 * @param width       its width in pixels
 * @param height      its height in pixels
 * @param contentType its Content-Type, e.g. {@code image/jpeg}
 */
public record RenderedImage(Rendition rendition, byte[] bytes, int width, int height, String contentType) {
}
