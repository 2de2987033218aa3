package io.photopipe.worker.engine.internal;

import io.photopipe.core.ImageFormat;
import java.util.Locale;

/**
 * How a photo will be decoded and what that will cost in memory, worked out from its header alone so a photo that
 * cannot fit is refused before a byte of it is decoded.
 *
 * <p>The estimate counts what the chosen decoder really allocates, on the heap and natively: the raster in the
 * stored type (bands x bits per sample, a 16-bit RGBA PNG has 8 bytes per pixel), row buffers of the full width
 * (a 33,000,000 x 1 PNG needs 264 MB for one row), libjpeg's whole-image DCT coefficient buffer for progressive and
 * multi-scan JPEGs (2 bytes per coefficient at full resolution whatever the reduction: jdcoefct.c), our ARGB ints,
 * an upright copy when the EXIF orientation turns the image, the cascade, and the native encoders' buffers.
 *
 * @param route       which decoder
 * @param factor      the reduction it applies: libjpeg's scale denominator (1, 2, 4, 8) for native JPEG, ImageIO's
 *                    source subsampling for ImageIO, 1 for the other native readers
 * @param subsampling ImageIO's subsampling, used when a native decoder declines the file
 * @param width       decoded width
 * @param height      decoded height
 * @param heapBytes   heap the decode and the cascade need
 * @param nativeBytes native memory they need
 * @param detail      what drives the figure, for messages ({@code 2048x2048 x 200 samples x 8 bit})
 */
public record DecodePlan(Route route, int factor, int subsampling, int width, int height, long heapBytes,
                         long nativeBytes, String detail) {

    /** The decoders. */
    public enum Route { NATIVE_JPEG, NATIVE_WEBP, NATIVE_GIF, NATIVE_TIFF, IMAGEIO }

    /** Slack for small allocations (readers, metadata, tables). */
    private static final long SLACK = 1 << 20;

    /** Heap plus native bytes. */
    public long totalBytes() {
        return heapBytes + nativeBytes;
    }

    /** ImageIO's subsampling for a native plan that was declined. */
    static int imageIoSubsampling(DecodePlan plan) {
        return plan.subsampling;
    }

    /**
     * The plan for a probed photo and its renditions: the native decoder where it handles the file and its estimate
     * fits {@code budgetBytes}, else ImageIO. The estimate of the ImageIO fallback is kept when it is larger (a
     * native decoder declines damaged files), so the memory taken covers both.
     */
    public static DecodePlan of(Decoder.Probe probe, Plan plan, long photoBytes, long budgetBytes) {
        DecodePlan imageIo = imageIo(probe, plan);
        DecodePlan fast = NativeCodecs.available() ? nativePlan(probe, plan, photoBytes) : null;
        if (fast == null || (fast.totalBytes() > budgetBytes && imageIo.totalBytes() <= budgetBytes)) {
            return imageIo;
        }
        return fast;
    }

    /** The larger of this plan's estimate and its ImageIO fallback's: what to take from the budget. */
    public long leaseBytes(Decoder.Probe probe, Plan plan) {
        return route == Route.IMAGEIO ? totalBytes() : Math.max(totalBytes(), imageIo(probe, plan).totalBytes());
    }

    private static DecodePlan nativePlan(Decoder.Probe probe, Plan plan, long photoBytes) {
        var info = probe.info();
        Metadata m = probe.metadata();
        int w = info.width();
        int h = info.height();
        long px = (long) w * h;
        switch (probe.format()) {
            case JPEG -> {
                Metadata.JpegFrame f = m.jpeg();
                if (f == null || f.precision() != 8 || (f.components() != 1 && f.components() != 3)) {
                    return null; // CMYK/YCCK (leptonica converts them without the profile), 12-bit, unknown
                }
                int r = 8;
                while (r > 1 && 1.0 / r < plan.minScale()) {
                    r /= 2;
                }
                int dw = (w + r - 1) / r;
                int dh = (h + r - 1) / r;
                long decoded = (long) dw * dh;
                long nat = photoBytes + 4 * decoded + f.coefficientBytes() + 32L * w * f.components();
                return new DecodePlan(Route.NATIVE_JPEG, r, plan.subsampling(), dw, dh,
                        heap(4 * decoded, decoded, info.orientation(), plan), nat + encoders(plan),
                        jpegDetail(w, h, f, r));
            }
            case WEBP -> {
                if (info.frames() > 1) {
                    return null;
                }
                // the decoded BGRA, and VP8L's own ARGB buffer for lossless files
                return new DecodePlan(Route.NATIVE_WEBP, 1, plan.subsampling(), w, h,
                        heap(4 * px, px, info.orientation(), plan), photoBytes + 8 * px + encoders(plan),
                        rawDetail(w, h, 4, 32) + ", decoded at full size");
            }
            case GIF -> {
                if (info.frames() != 1 || info.hasAlpha()) {
                    return null; // leptonica reads no transparency and no animation
                }
                // giflib's raster (1 byte per pixel), the colour-mapped Pix, its 32 bpp conversion
                return new DecodePlan(Route.NATIVE_GIF, 1, plan.subsampling(), w, h,
                        heap(4 * px, px, info.orientation(), plan), photoBytes + 6 * px + encoders(plan),
                        rawDetail(w, h, 1, 8) + ", decoded at full size");
            }
            case TIFF -> {
                if (!m.plainTiff() || info.orientation() != 1) {
                    return null; // leptonica turns TIFFs upright itself; we do that for every format
                }
                return new DecodePlan(Route.NATIVE_TIFF, 1, plan.subsampling(), w, h,
                        heap(4 * px, px, info.orientation(), plan),
                        photoBytes + 4 * px + 64L * w * probe.bands() + encoders(plan),
                        rawDetail(w, h, probe.bands(), probe.bitsPerPixel()) + ", decoded at full size");
            }
            default -> {
                return null;
            }
        }
    }

    private static DecodePlan imageIo(Decoder.Probe probe, Plan plan) {
        var info = probe.info();
        int w = info.width();
        int h = info.height();
        int k = plan.subsampling();
        int dw = (w + k - 1) / k;
        int dh = (h + k - 1) / k;
        long decoded = (long) dw * dh;
        int bits = Math.max(1, probe.bitsPerPixel());
        long rowBytes = ((long) w * bits + 7) / 8;
        long raster = (decoded * bits + 7) / 8;
        long heap = raster + 4 * rowBytes;
        long nat = 0;
        String detail = rawDetail(w, h, probe.bands(), bits);
        if (probe.format() == Sniffer.Format.JPEG) {
            Metadata.JpegFrame f = probe.metadata().jpeg();
            int comps = f == null ? probe.bands() : f.components();
            // the JDK's libjpeg: full-width rows and, for progressive/multi-scan files, the coefficient buffer
            nat = 32L * w * comps + (f == null ? 2L * w * h * comps : f.coefficientBytes());
            if (comps == 4) {
                heap += 4 * decoded; // TwelveMonkeys' CMYK -> RGB conversion
            }
            detail = f == null ? detail : jpegDetail(w, h, f, 1);
        } else if (probe.format() == Sniffer.Format.WEBP) {
            heap += 4L * w * h; // TwelveMonkeys decodes the whole frame before subsampling
        }
        if (!probe.srgb()) {
            heap += 4 * decoded; // ColorConvertOp's sRGB copy
        }
        if (k > 1) {
            detail += ", read every " + k + "th pixel";
        }
        return new DecodePlan(Route.IMAGEIO, k, k, dw, dh, heap + heap(4 * decoded, decoded, info.orientation(), plan),
                nat + encoders(plan), detail);
    }

    /** Our ARGB ints (given), an upright copy when turned, the cascade, slack. */
    private static long heap(long ints, long decodedPixels, int orientation, Plan plan) {
        return ints + (orientation > 1 ? 4 * decodedPixels : 0) + plan.workingBytes() + SLACK;
    }

    /** The largest native encoder working set of one rendition (they run one after another). */
    private static long encoders(Plan plan) {
        long max = 0;
        for (Plan.Step s : plan.steps()) {
            long px = (long) s.width() * s.height();
            long perPixel = s.rendition().format() == ImageFormat.WEBP ? (s.rendition().quality() >= 1.0 ? 24 : 10)
                    : s.rendition().format() == ImageFormat.JPEG ? 6 : 0;
            max = Math.max(max, perPixel * px);
        }
        return max;
    }

    private static String rawDetail(int w, int h, int bands, int bitsPerPixel) {
        int perSample = Math.max(1, bitsPerPixel / Math.max(1, bands));
        return String.format(Locale.ROOT, "%dx%d x %d sample%s x %d bit", w, h, bands, bands == 1 ? "" : "s",
                perSample);
    }

    private static String jpegDetail(int w, int h, Metadata.JpegFrame f, int reduction) {
        String s = String.format(Locale.ROOT, "%dx%d JPEG, %d component%s", w, h, f.components(),
                f.components() == 1 ? "" : "s");
        if (f.coefficientBytes() > 0) {
            s += String.format(Locale.ROOT, ", %s: %s of DCT coefficients", f.progressive() ? "progressive"
                    : "multi-scan", mb(f.coefficientBytes()));
        }
        return reduction > 1 ? s + ", decoded at 1/" + reduction : s;
    }

    static String mb(long bytes) {
        return String.format(Locale.ROOT, "%d MB", (bytes + (1 << 19)) >> 20);
    }
}
