package io.photopipe.worker.engine.internal;

import java.awt.Point;
import java.awt.image.BufferedImage;
import java.awt.color.ColorSpace;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferInt;
import java.awt.image.DirectColorModel;
import java.awt.image.Raster;
import java.awt.image.SinglePixelPackedSampleModel;
import java.awt.image.WritableRaster;

/**
 * An sRGB image as packed 8-bit ARGB ints, row by row: the one pixel layout every step after decoding works on, so
 * no step meets a slow {@code TYPE_CUSTOM} image. When {@code alpha} is true the colour channels are premultiplied by
 * alpha (so resampling does not bleed the colour of transparent pixels); otherwise alpha is 0xFF everywhere.
 *
 * @param width  in pixels
 * @param height in pixels
 * @param argb   {@code width * height} pixels
 * @param alpha  whether the image has transparency (premultiplied)
 */
public record Pixels(int width, int height, int[] argb, boolean alpha) {

    public Pixels {
        if (width < 1 || height < 1 || argb.length < width * height) {
            throw new IllegalArgumentException(width + "x" + height + " needs " + (long) width * height + " pixels");
        }
    }

    public static Pixels blank(int width, int height, boolean alpha) {
        return new Pixels(width, height, new int[Math.multiplyExact(width, height)], alpha);
    }

    public long bytes() {
        return 4L * width * height;
    }

    /**
     * A view of {@code argb} as a {@link BufferedImage} (no copy), {@code TYPE_INT_RGB} or {@code TYPE_INT_ARGB_PRE}:
     * the layouts Java2D and the ImageIO writers handle fastest.
     */
    public BufferedImage asImage() {
        DataBufferInt buffer = new DataBufferInt(argb, width * height);
        if (alpha) {
            DirectColorModel cm = new DirectColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB), 32, 0xFF0000,
                    0xFF00, 0xFF, 0xFF000000, true, DataBuffer.TYPE_INT);
            WritableRaster raster = Raster.createWritableRaster(new SinglePixelPackedSampleModel(
                    DataBuffer.TYPE_INT, width, height, new int[] {0xFF0000, 0xFF00, 0xFF, 0xFF000000}), buffer,
                    new Point());
            return new BufferedImage(cm, raster, true, null);
        }
        DirectColorModel cm = new DirectColorModel(24, 0xFF0000, 0xFF00, 0xFF);
        WritableRaster raster = Raster.createWritableRaster(new SinglePixelPackedSampleModel(
                buffer.getDataType(), width, height, new int[] {0xFF0000, 0xFF00, 0xFF}), buffer, new Point());
        return new BufferedImage(cm, raster, false, null);
    }

    /** A copy with the same pixels, for filters that must not touch a cascade source. */
    public Pixels copy() {
        return new Pixels(width, height, argb.clone(), alpha);
    }
}
