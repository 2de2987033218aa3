package io.photopipe.worker.engine;

import io.photopipe.core.ImageFormat;
import io.photopipe.core.SettingsException;
import io.photopipe.worker.engine.internal.NativeCodecs;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Which decoder and encoder this process uses for each format: the native codecs (leptonica with libjpeg-turbo,
 * libwebp and giflib/libtiff, loaded from the jar for this OS and architecture) where they are present and measured
 * faster, else ImageIO with the TwelveMonkeys plugins. {@code PHOTOPIPE_NATIVE=off} forces ImageIO everywhere;
 * {@code required} makes start-up fail without the native codecs. For start-up logs and the benchmark.
 */
public final class Codecs {

    /** The switch: {@code auto} (default), {@code off} or {@code required}; also the system property {@code photopipe.native}. */
    public static final String NATIVE_ENV = "PHOTOPIPE_NATIVE";

    private static final String IMAGEIO = "ImageIO";

    private Codecs() {
    }

    /** Whether the native codecs are loaded in this process. */
    public static boolean nativeAvailable() {
        return NativeCodecs.available();
    }

    /** One sentence: the native library's versions and file, or why it is not used. */
    public static String nativeStatus() {
        return NativeCodecs.status();
    }

    /**
     * Per input and output format, what decodes and encodes it here, e.g. {@code jpeg -> "decode native libjpeg-turbo
     * (DCT scaling 1/2, 1/4, 1/8; ImageIO for CMYK/YCCK and damaged files), encode native libjpeg-turbo"}.
     */
    public static Map<String, String> byFormat() {
        boolean n = NativeCodecs.available();
        Map<String, String> m = new LinkedHashMap<>();
        m.put("jpeg", n ? "decode native libjpeg-turbo (DCT scaling 1/2, 1/4, 1/8; ImageIO for CMYK/YCCK and damaged "
                + "files), encode native libjpeg-turbo" : "decode ImageIO (subsampling), encode ImageIO");
        m.put("webp", n ? "decode native libwebp (ImageIO for animations), encode native libwebp (lossy; lossless at "
                + "quality 1.0)" : "decode ImageIO (TwelveMonkeys), no encoder");
        m.put("png", "decode ImageIO (as fast as libpng here, and subsamples), encode ImageIO");
        m.put("gif", n ? "decode native giflib (still, opaque; else ImageIO)" : "decode ImageIO");
        m.put("tiff", n ? "decode native libtiff (8-bit RGB/grey, LZW or Deflate; else ImageIO)" : "decode ImageIO");
        m.put("bmp", "decode ImageIO");
        return m;
    }

    /** {@link #byFormat()} on one line per format, for logs. */
    public static String describe() {
        StringBuilder s = new StringBuilder(NativeCodecs.available() ? "native codecs " + NativeCodecs.versions()
                : "native codecs not in use: " + NativeCodecs.status());
        byFormat().forEach((f, what) -> s.append(System.lineSeparator()).append("  ").append(f).append(": ").append(what));
        return s.toString();
    }

    /** Whether renditions of {@code format} can be written here. */
    public static boolean canWrite(ImageFormat format) {
        return format != ImageFormat.WEBP || NativeCodecs.available();
    }

    /**
     * Validates the {@value #NATIVE_ENV} value; with {@code required}, also that the native codecs loaded.
     *
     * @throws SettingsException naming the variable
     */
    static void checkSetting(String value) {
        String v = value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
        if (!v.matches("|auto|on|true|yes|1|off|false|no|0|required")) {
            throw new SettingsException(NATIVE_ENV, "'" + value + "' is not one of auto, off, required");
        }
        if (v.equals("required") && !NativeCodecs.available()) {
            throw new SettingsException(NATIVE_ENV, "required, but " + NativeCodecs.status());
        }
    }
}
