package io.photopipe.worker.engine.internal;

import com.twelvemonkeys.imageio.stream.ByteArrayImageInputStream;
import io.photopipe.worker.engine.EngineConfig;
import io.photopipe.worker.engine.ImageInfo;
import io.photopipe.worker.engine.PhotoRejectedException;
import java.awt.color.ColorSpace;
import java.awt.color.ICC_ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.awt.image.ColorConvertOp;
import java.awt.image.ColorModel;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.io.EOFException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import javax.imageio.IIOException;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.event.IIOReadWarningListener;
import javax.imageio.stream.ImageInputStream;

/**
 * Reads headers with ImageIO (TwelveMonkeys plugins first; one reader per call, always disposed) and decodes pixels
 * natively or with ImageIO as the {@link DecodePlan} says. Every failure of a decoder on bad data, checked or not,
 * becomes a {@link PhotoRejectedException}; an OutOfMemoryError, however wrapped, is rethrown as itself (retry later,
 * never "corrupt").
 */
public final class Decoder {

    static {
        // Never spill to temporary files: inputs are byte arrays already in memory.
        ImageIO.setUseCache(false);
    }

    private Decoder() {
    }

    /**
     * A photo's header facts and the metadata decoding needs.
     *
     * @param bands        samples per pixel of the image as stored (ImageIO's raw image type)
     * @param bitsPerPixel bits per pixel as stored, all samples together (a 16-bit RGBA PNG: 64)
     * @param srgb         whether the stored colour space is sRGB or grey (no ICC conversion needed)
     */
    public record Probe(ImageInfo info, Sniffer.Format format, Metadata metadata, int bands, int bitsPerPixel,
                        boolean srgb) {
    }

    /** Reads the header only: format, size, alpha, frames, raw type and metadata. Calls no pixel decoding. */
    public static Probe probe(byte[] photo, Sniffer.Format format, EngineConfig limits) throws PhotoRejectedException {
        try (ImageInputStream in = new ByteArrayImageInputStream(photo)) {
            ImageReader reader = reader(format);
            try {
                reader.setInput(in, false, true);
                int w = reader.getWidth(0);
                int h = reader.getHeight(0);
                if (w < 1 || h < 1) {
                    throw new PhotoRejectedException(PhotoRejectedException.CORRUPT,
                            "the " + name(format) + " header gives an impossible size " + w + "x" + h);
                }
                long pixels = (long) w * h;
                if (pixels > limits.maxPixels()) {
                    throw new PhotoRejectedException(PhotoRejectedException.TOO_MANY_PIXELS, String.format(Locale.ROOT,
                            "%dx%d = %s exceeds the limit of %s (limits.maxPixels); it was not decoded",
                            w, h, megapixels(pixels), megapixels(limits.maxPixels())));
                }
                double aspect = Math.max(w, h) / (double) Math.min(w, h);
                if (aspect > limits.maxAspectRatio()) {
                    throw new PhotoRejectedException(PhotoRejectedException.TOO_COMPLEX, String.format(Locale.ROOT,
                            "%dx%d has an aspect ratio of %s:1, more than the limit of %s:1 (limits.maxAspectRatio); "
                                    + "it was not decoded", w, h, ratio(aspect), ratio(limits.maxAspectRatio())));
                }
                Metadata metadata = Metadata.of(photo, format);
                checkSamples(format, w, h, metadata.samples(), limits);
                ImageTypeSpecifier raw = rawType(reader);
                int bands = raw == null ? Math.max(3, metadata.samples()) : raw.getSampleModel().getNumBands();
                checkSamples(format, w, h, bands, limits);
                int bits = 0;
                if (raw != null) {
                    for (int b : raw.getSampleModel().getSampleSize()) {
                        bits += b;
                    }
                }
                boolean alpha = raw != null && raw.getColorModel().hasAlpha();
                ColorSpace cs = raw == null ? null : raw.getColorModel().getColorSpace();
                boolean srgb = cs == null || cs.isCS_sRGB() || cs.getType() == ColorSpace.TYPE_GRAY;
                int frames = frames(reader, format);
                return new Probe(new ImageInfo(format.id(), w, h, metadata.orientation(), alpha, frames), format,
                        metadata, bands, bits > 0 ? bits : 8 * bands, srgb);
            } finally {
                reader.dispose();
            }
        } catch (PhotoRejectedException e) {
            throw e;
        } catch (OutOfMemoryError e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            OutOfMemoryError oom = outOfMemory(e);
            if (oom != null) {
                throw oom;
            }
            throw failure(format, "header", e);
        }
    }

    private static void checkSamples(Sniffer.Format format, int w, int h, int samples, EngineConfig limits)
            throws PhotoRejectedException {
        if (samples > limits.maxSamplesPerPixel()) {
            throw new PhotoRejectedException(PhotoRejectedException.TOO_COMPLEX, String.format(Locale.ROOT,
                    "the %s header declares %d samples per pixel (%dx%d), more than the limit of %d "
                            + "(limits.maxSamplesPerPixel); photos have 1 (grey) to 5 (CMYK with alpha); it was not "
                            + "decoded", name(format), samples, w, h, limits.maxSamplesPerPixel()));
        }
    }

    private static String ratio(double r) {
        return r >= 100 ? String.format(Locale.ROOT, "%.0f", r) : String.format(Locale.ROOT, "%.1f", r);
    }

    /**
     * Decodes the first frame as sRGB {@link Pixels} the way {@code plan} says: natively (JPEG with DCT-domain
     * reduction, WebP, still opaque GIF, plain TIFF) or with ImageIO source subsampling. A native decoder that
     * declines (damaged data, a warning, an unsupported variant) hands over to ImageIO, which names what is wrong.
     */
    public static Pixels decode(byte[] photo, Probe probe, DecodePlan plan) throws PhotoRejectedException {
        try {
            Pixels fast = switch (plan.route()) {
                case NATIVE_JPEG -> NativeCodecs.decodeJpeg(photo, plan.factor());
                case NATIVE_WEBP -> NativeCodecs.decodeWebp(photo);
                case NATIVE_GIF, NATIVE_TIFF -> NativeCodecs.decodeOther(probe.format(), photo);
                case IMAGEIO -> null;
            };
            if (fast != null) {
                byte[] icc = probe.metadata().jpegIcc();
                if (icc != null) {
                    applyProfile(fast, icc);
                }
                return fast;
            }
            return decodeImageIo(photo, probe, plan.route() == DecodePlan.Route.IMAGEIO ? plan.factor()
                    : DecodePlan.imageIoSubsampling(plan));
        } catch (RuntimeException e) {
            OutOfMemoryError oom = outOfMemory(e);
            if (oom != null) {
                throw oom;
            }
            throw e;
        }
    }

    /**
     * The OutOfMemoryError behind {@code e}, if any: ImageIO's readers wrap it (in an IIOException or a
     * RuntimeException), and a photo that ran out of memory is not corrupt; the worker retries it later.
     */
    public static OutOfMemoryError outOfMemory(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof OutOfMemoryError oom) {
                return oom;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }

    /** ImageIO with source subsampling: the full-size image is never held in memory. */
    static Pixels decodeImageIo(byte[] photo, Probe probe, int subsampling) throws PhotoRejectedException {
        Sniffer.Format format = probe.format();
        List<String> warnings = new ArrayList<>();
        BufferedImage image;
        try (ImageInputStream in = new ByteArrayImageInputStream(photo)) {
            ImageReader reader = reader(format);
            try {
                reader.setInput(in, true, true);
                reader.addIIOReadWarningListener(collect(warnings));
                ImageReadParam param = reader.getDefaultReadParam();
                if (subsampling > 1) {
                    param.setSourceSubsampling(subsampling, subsampling, 0, 0);
                }
                image = reader.read(0, param);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            OutOfMemoryError oom = outOfMemory(e);
            if (oom != null) {
                throw oom;
            }
            throw failure(format, "image data", e);
        }
        for (String w : warnings) {
            String lower = w.toLowerCase(Locale.ROOT);
            // libjpeg reports missing data as a warning and fills the rest with grey; other warnings (such as
            // "Corrupt JPEG data: 2 extraneous bytes before marker", common from cameras) leave the image intact
            if (lower.contains("premature end") || lower.contains("truncated")) {
                throw new PhotoRejectedException(PhotoRejectedException.TRUNCATED, "the " + name(format)
                        + " file ends before its image data does (" + w.strip() + "); upload it again");
            }
        }
        try {
            return toPixels(image, probe.metadata().iccProfile());
        } catch (RuntimeException e) {
            OutOfMemoryError oom = outOfMemory(e);
            if (oom != null) {
                throw oom;
            }
            throw failure(format, "colour data", e);
        }
    }

    /** Converts pixels tagged with an RGB profile other than sRGB to sRGB; unusable profiles are ignored. */
    private static void applyProfile(Pixels pixels, byte[] icc) {
        try {
            ICC_Profile profile = ICC_Profile.getInstance(icc);
            if (profile.getColorSpaceType() == ColorSpace.TYPE_RGB && !isSrgb(profile)) {
                IccConverter.of(profile).apply(pixels);
            }
        } catch (IllegalArgumentException e) {
            // a broken profile: show the pixels as sRGB, as browsers do
        }
    }

    /** sRGB variants (IEC61966-2.1 and friends) are recognised by their description; converting them is a no-op. */
    private static boolean isSrgb(ICC_Profile profile) {
        byte[] desc = profile.getData(ICC_Profile.icSigProfileDescriptionTag);
        return desc != null && new String(desc, java.nio.charset.StandardCharsets.ISO_8859_1).contains("sRGB");
    }

    private static IIOReadWarningListener collect(List<String> warnings) {
        return (source, warning) -> warnings.add(warning);
    }

    /** The reader for {@code format}, preferring TwelveMonkeys' (CMYK, ICC, WebP) over the JDK's. */
    static ImageReader reader(Sniffer.Format format) throws PhotoRejectedException {
        Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format.id());
        ImageReader chosen = null;
        while (readers.hasNext()) {
            ImageReader r = readers.next();
            if (chosen == null || (r.getClass().getName().startsWith("com.twelvemonkeys")
                    && !chosen.getClass().getName().startsWith("com.twelvemonkeys"))) {
                chosen = r;
            }
        }
        if (chosen == null) {
            throw new PhotoRejectedException(PhotoRejectedException.UNSUPPORTED_FORMAT,
                    name(format) + " images cannot be read here (no ImageIO reader installed)");
        }
        return chosen;
    }

    /** The image type as stored (or the reader's first offer); null if the reader cannot say. */
    private static ImageTypeSpecifier rawType(ImageReader reader) throws IOException {
        try {
            ImageTypeSpecifier raw = reader.getRawImageType(0);
            if (raw != null) {
                return raw;
            }
            Iterator<ImageTypeSpecifier> types = reader.getImageTypes(0);
            return types.hasNext() ? types.next() : null;
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            return null; // e.g. a layout ImageIO has no type for; the size checks still hold
        }
    }

    private static int frames(ImageReader reader, Sniffer.Format format) {
        if (format != Sniffer.Format.GIF && format != Sniffer.Format.WEBP) {
            return 1;
        }
        try {
            // GIF: skips the LZW blocks without decoding them; WebP: walks the RIFF chunks
            return reader.getNumImages(true);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    static PhotoRejectedException failure(Sniffer.Format format, String part, Throwable e) {
        boolean truncated = false;
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
            if (t instanceof EOFException || m.contains("eof") || m.contains("end of file")
                    || m.contains("premature end") || m.contains("truncated") || m.contains("unexpected end")) {
                truncated = true;
            }
        }
        String detail = describe(e);
        if (truncated) {
            return new PhotoRejectedException(PhotoRejectedException.TRUNCATED, "the " + name(format)
                    + " file ends before its " + part + " does (" + detail + "); it is probably an incomplete upload",
                    e);
        }
        return new PhotoRejectedException(PhotoRejectedException.CORRUPT, "the " + name(format) + " " + part
                + " is damaged and cannot be decoded (" + detail + ")", e);
    }

    private static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String m = e.getMessage();
        String rm = root.getMessage();
        String s = m == null ? e.getClass().getSimpleName() : m;
        if (root != e && rm != null && !s.contains(rm)) {
            s += ": " + rm;
        }
        return s;
    }

    static String name(Sniffer.Format format) {
        return format.id().toUpperCase(Locale.ROOT);
    }

    static String megapixels(long pixels) {
        return pixels >= 10_000_000 ? (pixels / 1_000_000) + " MP"
                : String.format(Locale.ROOT, "%.1f MP", pixels / 1e6);
    }

    /** Converts whatever the reader produced into premultiplied-if-alpha sRGB ints, without per-pixel calls. */
    static Pixels toPixels(BufferedImage image, byte[] extraIcc) {
        ColorModel cm = image.getColorModel();
        boolean alpha = cm.hasAlpha();
        ColorSpace cs = cm.getColorSpace();
        ICC_Profile profile = null;
        if (extraIcc != null) {
            try {
                profile = ICC_Profile.getInstance(extraIcc);
            } catch (IllegalArgumentException e) {
                profile = null; // unusable profile: treat the pixels as sRGB, like browsers do
            }
        }
        if (profile != null && profile.getColorSpaceType() == ColorSpace.TYPE_RGB && !cs.isCS_sRGB()) {
            profile = null;
        }
        if (profile == null && !cs.isCS_sRGB() && cs.getType() != ColorSpace.TYPE_GRAY
                && cs instanceof ICC_ColorSpace) {
            // e.g. TIFF with an embedded profile: let the colour management system convert to sRGB
            BufferedImage srgb = new BufferedImage(image.getWidth(), image.getHeight(),
                    alpha ? BufferedImage.TYPE_INT_ARGB_PRE : BufferedImage.TYPE_INT_RGB);
            new ColorConvertOp(null).filter(image, srgb);
            return fromInts(srgb, alpha, true);
        }
        Pixels pixels = switch (image.getType()) {
            case BufferedImage.TYPE_3BYTE_BGR -> from3Byte(image);
            case BufferedImage.TYPE_4BYTE_ABGR -> from4Byte(image);
            case BufferedImage.TYPE_BYTE_GRAY -> fromGray(image);
            case BufferedImage.TYPE_INT_RGB -> fromInts(image, false, false);
            case BufferedImage.TYPE_INT_ARGB -> fromInts(image, true, false);
            case BufferedImage.TYPE_INT_ARGB_PRE -> fromInts(image, true, true);
            default -> fromAny(image, alpha);
        };
        if (profile != null && profile.getColorSpaceType() == ColorSpace.TYPE_RGB) {
            IccConverter.of(profile).apply(pixels);
        }
        return pixels;
    }

    private static Pixels from3Byte(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        byte[] data = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        int[] out = new int[w * h];
        for (int i = 0, j = 0; i < out.length; i++, j += 3) {
            out[i] = 0xFF000000 | (data[j + 2] & 0xFF) << 16 | (data[j + 1] & 0xFF) << 8 | (data[j] & 0xFF);
        }
        return new Pixels(w, h, out, false);
    }

    private static Pixels from4Byte(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        byte[] data = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        int[] out = new int[w * h];
        for (int i = 0, j = 0; i < out.length; i++, j += 4) {
            int a = data[j] & 0xFF;
            out[i] = premultiply(a, data[j + 3] & 0xFF, data[j + 2] & 0xFF, data[j + 1] & 0xFF);
        }
        return new Pixels(w, h, out, true);
    }

    /**
     * Grey JPEGs and PNGs are tagged with Java's linear grey colour space, but their values are gamma-encoded like
     * sRGB; copying the value to R, G and B keeps them as they look (getRGB would brighten them).
     */
    private static Pixels fromGray(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        byte[] data = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        int[] out = new int[w * h];
        for (int i = 0; i < out.length; i++) {
            int v = data[i] & 0xFF;
            out[i] = 0xFF000000 | v << 16 | v << 8 | v;
        }
        return new Pixels(w, h, out, false);
    }

    private static Pixels fromInts(BufferedImage image, boolean alpha, boolean premultiplied) {
        int w = image.getWidth();
        int h = image.getHeight();
        int[] data = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
        int[] out = data.length == w * h ? data : new int[w * h];
        for (int i = 0; i < w * h; i++) {
            int p = data[i];
            if (!alpha) {
                out[i] = p | 0xFF000000;
            } else if (premultiplied) {
                out[i] = p;
            } else {
                out[i] = premultiply(p >>> 24, (p >> 16) & 0xFF, (p >> 8) & 0xFF, p & 0xFF);
            }
        }
        return new Pixels(w, h, out, alpha);
    }

    /** Palettes, 16-bit, bit-packed and other layouts: rare and small, so the generic path is fine. */
    private static Pixels fromAny(BufferedImage image, boolean alpha) {
        int w = image.getWidth();
        int h = image.getHeight();
        int[] out = new int[w * h];
        image.getRGB(0, 0, w, h, out, 0, w);
        if (alpha) {
            for (int i = 0; i < out.length; i++) {
                int p = out[i];
                out[i] = premultiply(p >>> 24, (p >> 16) & 0xFF, (p >> 8) & 0xFF, p & 0xFF);
            }
        }
        return new Pixels(w, h, out, alpha);
    }

    static int premultiply(int a, int r, int g, int b) {
        if (a == 0xFF) {
            return 0xFF000000 | r << 16 | g << 8 | b;
        }
        if (a == 0) {
            return 0;
        }
        return a << 24 | ((r * a + 127) / 255) << 16 | ((g * a + 127) / 255) << 8 | ((b * a + 127) / 255);
    }
}
