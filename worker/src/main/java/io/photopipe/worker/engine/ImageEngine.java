package io.photopipe.worker.engine;

import io.photopipe.core.Fit;
import io.photopipe.core.ImageFormat;
import io.photopipe.core.Rendition;
import io.photopipe.core.SettingsException;
import io.photopipe.worker.engine.internal.Sniffer;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import net.coobird.thumbnailator.Thumbnails;
import net.coobird.thumbnailator.geometry.Positions;

/**
 * Turns the bytes of a photo into encoded renditions. Thread-safe. (Step-1 implementation: simple and correct for
 * plain photos; the one-decode cascade replaces it.)
 */
public final class ImageEngine {

    private final EngineConfig config;

    public ImageEngine(EngineConfig config) {
        this.config = config;
    }

    /** Reads the header of {@code photo} (format from its first bytes, size, orientation) without decoding pixels. */
    public ImageInfo probe(byte[] photo) throws PhotoRejectedException {
        if (photo.length > config.maxObjectBytes()) {
            throw new PhotoRejectedException(PhotoRejectedException.TOO_LARGE, photo.length + " bytes exceeds the limit of "
                    + config.maxObjectBytes() + " bytes (limits.maxObjectBytes)");
        }
        Sniffer.Format format = Sniffer.sniff(photo);
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(photo))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new PhotoRejectedException(PhotoRejectedException.UNSUPPORTED_FORMAT, "no reader for " + format.id());
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in);
                ImageInfo info = new ImageInfo(format.id(), reader.getWidth(0), reader.getHeight(0), 1, false, 1);
                if (info.pixels() > config.maxPixels()) {
                    throw new PhotoRejectedException(PhotoRejectedException.TOO_MANY_PIXELS, info.width() + "x"
                            + info.height() + " exceeds the limit of " + config.maxPixels() + " pixels (limits.maxPixels)");
                }
                return info;
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            throw new PhotoRejectedException(PhotoRejectedException.CORRUPT, "cannot read the header: " + e.getMessage(), e);
        }
    }

    /** Makes every rendition of {@code photo}, in the order given. */
    public RenderResult render(byte[] photo, List<Rendition> renditions) throws PhotoRejectedException {
        ImageInfo info = probe(photo);
        BufferedImage image;
        try {
            image = ImageIO.read(new ByteArrayInputStream(photo));
        } catch (IOException | RuntimeException e) {
            throw new PhotoRejectedException(PhotoRejectedException.CORRUPT, "cannot decode: " + e.getMessage(), e);
        }
        List<RenderedImage> out = new ArrayList<>();
        for (Rendition r : renditions) {
            try {
                var builder = Thumbnails.of(image);
                if (r.fit() == Fit.EXACT) {
                    builder.forceSize(r.width(), r.height());
                } else if (r.fit() == Fit.COVER) {
                    builder.size(r.width(), r.height()).crop(Positions.CENTER);
                } else {
                    builder.size(r.width(), r.height());
                }
                BufferedImage result = builder.asBufferedImage();
                if (r.format() == ImageFormat.JPEG && result.getColorModel().hasAlpha()) {
                    BufferedImage flat = new BufferedImage(result.getWidth(), result.getHeight(), BufferedImage.TYPE_INT_RGB);
                    var g = flat.createGraphics();
                    g.drawImage(result, 0, 0, config.background(), null);
                    g.dispose();
                    result = flat;
                }
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                Thumbnails.of(result).scale(1).outputFormat(r.format().id()).outputQuality(r.quality()).toOutputStream(bytes);
                out.add(new RenderedImage(r, bytes.toByteArray(), result.getWidth(), result.getHeight(),
                        r.format().contentType()));
            } catch (IOException e) {
                throw new PhotoRejectedException(PhotoRejectedException.CORRUPT, "cannot render: " + e.getMessage(), e);
            }
        }
        return new RenderResult(info, out, (long) image.getWidth() * image.getHeight());
    }

    /** Fails with a {@link SettingsException} naming the rendition when a requested output format has no writer. */
    public static void checkWritable(List<Rendition> renditions) {
        for (Rendition r : renditions) {
            if (!ImageIO.getImageWritersByFormatName(r.format().id()).hasNext()) {
                throw new SettingsException("renditions[" + r.name() + "].format", "no ImageIO writer for "
                        + r.format().id() + " is installed; use jpeg or png");
            }
        }
    }
}
