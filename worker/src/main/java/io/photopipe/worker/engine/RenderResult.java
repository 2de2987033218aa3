package io.photopipe.worker.engine;

import java.util.List;

/**
 * The outputs made from one photo.
 *
 * @param source        the source photo's header information
 * @param outputs       one encoded image per requested rendition, in the order requested
 * @param decodedPixels pixels actually decoded (smaller than the source when decoding subsampled)
 */
public record RenderResult(ImageInfo source, List<RenderedImage> outputs, long decodedPixels) {
    public RenderResult {
        outputs = List.copyOf(outputs);
    }
}
