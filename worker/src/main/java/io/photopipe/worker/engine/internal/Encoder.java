package io.photopipe.worker.engine.internal;

import io.photopipe.core.ImageFormat;
import io.photopipe.core.SettingsException;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.plugins.jpeg.JPEGImageWriteParam;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Encodes finished pixels. Outputs carry no metadata at all (no EXIF, GPS, comments or ICC profile: pixels are
 * sRGB, which is what a file without a profile means). JPEG: baseline 4:2:0, natively with libjpeg-turbo (standard
 * Huffman tables, JFIF header only), else ImageIO (Huffman tables optimised for the image when that is cheap); WebP
 * natively with libwebp only (lossy at quality below 1.0, lossless at 1.0); PNG with ImageIO.
 */
public final class Encoder {

    /** Above this many pixels the optimised-Huffman second pass is skipped. */
    private static final long OPTIMIZE_HUFFMAN_MAX_PIXELS = 4_000_000;

    private Encoder() {
    }

    /** Whether a writer exists here for {@code format}: the native one or ImageIO's. */
    public static boolean canWrite(ImageFormat format) {
        return (format != ImageFormat.PNG && NativeCodecs.available())
                || ImageIO.getImageWritersByFormatName(format.id()).hasNext();
    }

    /**
     * Encodes straight (not premultiplied) ARGB ints; {@code alpha} false means opaque RGB (alpha 0xFF everywhere).
     */
    public static byte[] encode(int[] argb, int w, int h, boolean alpha, ImageFormat format, double quality) {
        if (format == ImageFormat.JPEG) {
            byte[] fast = NativeCodecs.encodeJpeg(argb, w, h, (int) Math.max(1, Math.min(100, Math.round(quality * 100))));
            if (fast != null) {
                return fast;
            }
        } else if (format == ImageFormat.WEBP && NativeCodecs.available()) {
            byte[] webp = NativeCodecs.encodeWebp(argb, w, h, (float) Math.min(100, quality * 100), quality >= 1.0);
            if (webp == null) {
                throw new UncheckedIOException(new IOException("libwebp could not encode " + w + "x" + h
                        + " (WebP allows at most 16383 px a side)"));
            }
            return webp;
        }
        BufferedImage image = interleaved(argb, w, h, alpha && format.supportsAlpha());
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName(format.id());
        if (!writers.hasNext()) {
            throw new SettingsException("format", "no ImageIO writer for " + format.id() + " is installed");
        }
        ImageWriter writer = writers.next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(Math.max(1024, w * h / 4));
        try (ImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            if (format == ImageFormat.JPEG) {
                param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                param.setCompressionQuality((float) quality);
                param.setProgressiveMode(ImageWriteParam.MODE_DISABLED);
                if (param instanceof JPEGImageWriteParam jpeg && (long) w * h <= OPTIMIZE_HUFFMAN_MAX_PIXELS) {
                    jpeg.setOptimizeHuffmanTables(true);
                }
            }
            // no stream or image metadata: nothing of the source (EXIF, GPS, XMP) can leak into outputs
            writer.write(null, new IIOImage(image, null, null), param);
        } catch (IOException e) {
            OutOfMemoryError oom = Decoder.outOfMemory(e);
            if (oom != null) {
                throw oom;
            }
            throw new UncheckedIOException("encoding " + format.id() + " " + w + "x" + h + " in memory failed", e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    /**
     * The pixels as {@code TYPE_3BYTE_BGR} (or {@code TYPE_4BYTE_ABGR}): the JDK's writers copy those rows with
     * byte-to-byte raster copies, about twice as fast as converting packed ints pixel by pixel.
     */
    static BufferedImage interleaved(int[] argb, int w, int h, boolean alpha) {
        BufferedImage image = new BufferedImage(w, h, alpha ? BufferedImage.TYPE_4BYTE_ABGR : BufferedImage.TYPE_3BYTE_BGR);
        byte[] data = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        int n = w * h;
        if (alpha) {
            for (int i = 0, j = 0; i < n; i++, j += 4) {
                int p = argb[i];
                data[j] = (byte) (p >>> 24);
                data[j + 1] = (byte) p;
                data[j + 2] = (byte) (p >> 8);
                data[j + 3] = (byte) (p >> 16);
            }
        } else {
            for (int i = 0, j = 0; i < n; i++, j += 3) {
                int p = argb[i];
                data[j] = (byte) p;
                data[j + 1] = (byte) (p >> 8);
                data[j + 2] = (byte) (p >> 16);
            }
        }
        return image;
    }
}
