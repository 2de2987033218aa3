package io.photopipe.worker.engine.internal;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The native codecs, called through Java's FFM API (no JavaCPP, no JNI): leptonica's in-memory readers and JPEG
 * writer (libjpeg-turbo 3 with SIMD and DCT-domain scaling), and libwebp's simple encoding and decoding API, both
 * exported by the one {@code libleptonica.so.6} that {@link NativeLibrary} loads ({@link Leptonica} holds the
 * bindings).
 *
 * <p>Why through leptonica and not libjpeg directly: libjpeg's default error handler calls {@code exit()}, and a
 * Java upcall can neither {@code longjmp} nor throw through C frames; leptonica's readers and writers install
 * handlers that {@code longjmp} back inside C and return NULL (jpegio.c, "Low-level error handling"), and no
 * leptonica function calls {@code exit()} or {@code abort()}. They keep their {@code jmp_buf} on the stack, so
 * concurrent calls are safe; leptonica's only global we touch, the message severity, is set once at load time
 * ({@code setMsgSeverity(L_SEVERITY_NONE)}: its messages would otherwise go to stderr). libjpeg's own message for
 * a fatal error on corrupt data still reaches stderr once (leptonica calls {@code output_message} before the
 * {@code longjmp}); such photos then go through ImageIO, which names the problem for the user.
 *
 * <p>Every method returns null when the native path cannot or should not handle the input (library absent, a
 * decoder warning such as a premature end, an allocation failure): callers then use ImageIO. Ownership: a
 * {@code PIX*} returned by a reader is ours and destroyed here with {@code pixDestroy}; buffers returned by
 * {@code pixWriteMemJpeg} are freed with {@code lept_free}, those of libwebp with {@code WebPFree}.
 */
@SuppressWarnings("restricted") // FFM downcalls are this class's purpose; run with --enable-native-access=ALL-UNNAMED
public final class NativeCodecs {

    /** WEBP_DECODER_ABI_VERSION of libwebp 1.6 (webp/decode.h), checked by WebPGetFeaturesInternal. */
    private static final int WEBP_DECODER_ABI_VERSION = 0x0210;
    /** Little-endian ints: one int read from bytes B, G, R, A is 0xAARRGGBB, our layout (libwebp's BGRA). */
    private static final ValueLayout.OfInt LE_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final int CHUNK = 1 << 16;


    private NativeCodecs() {
    }

    /** Whether the native codecs are loaded. */
    public static boolean available() {
        return Leptonica.available();
    }

    /** Whether this process asked for them to be required ({@code PHOTOPIPE_NATIVE=required}). */
    public static boolean required() {
        return Leptonica.MODE == NativeLibrary.Mode.REQUIRED;
    }

    /** One sentence: which library was loaded from where, or why none was. */
    public static String status() {
        return available() ? Leptonica.VERSIONS + " from " + Leptonica.LOADED.file() : Leptonica.LOADED.status();
    }

    /** The loaded versions, e.g. {@code leptonica-1.87.0 (libjpeg-turbo 3.0.1, libwebp 1.6.0, ...)}; null if none. */
    public static String versions() {
        return Leptonica.VERSIONS;
    }

    /** The platform name the library was looked for under ({@code linux-x86_64}, {@code linux-arm64}, ...). */
    public static String platform() {
        return Leptonica.LOADED.platform();
    }

    /**
     * Decodes a JPEG reduced by {@code reduction} (1, 2, 4 or 8: libjpeg's DCT-domain scaling, the dropped
     * resolution is never computed), as opaque sRGB-as-stored pixels (no ICC conversion). Null if the native path
     * is absent or libjpeg reported anything (warnings included): the caller then decodes with ImageIO.
     */
    static Pixels decodeJpeg(byte[] jpeg, int reduction) {
        if (!available()) {
            return null;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment src = input(arena, jpeg);
            MemorySegment warnings = arena.allocate(ValueLayout.JAVA_INT);
            MemorySegment pix = (MemorySegment) Leptonica.Jpeg.READ.invokeExact(src, (long) jpeg.length, 0, reduction,
                    warnings, 0);
            return pixels(pix, arena);
        } catch (OutOfMemoryError e) {
            throw e;
        } catch (Throwable e) {
            return null;
        }
    }

    /** Decodes the first image of a PNG, TIFF or GIF with leptonica (libpng, libtiff, giflib); null if it cannot. */
    static Pixels decodeOther(Sniffer.Format format, byte[] data) {
        if (!available()) {
            return null;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment src = input(arena, data);
            MemorySegment pix = switch (format) {
                case PNG -> (MemorySegment) Leptonica.Readers.PNG.invokeExact(src, (long) data.length);
                case TIFF -> (MemorySegment) Leptonica.Readers.TIFF.invokeExact(src, (long) data.length, 0);
                case GIF -> (MemorySegment) Leptonica.Readers.GIF.invokeExact(src, (long) data.length);
                default -> MemorySegment.NULL;
            };
            return pixels(pix, arena);
        } catch (OutOfMemoryError e) {
            throw e;
        } catch (Throwable e) {
            return null;
        }
    }

    /** Decodes a still WebP with libwebp; null if animated, invalid, or the native path is absent. */
    static Pixels decodeWebp(byte[] webp) {
        if (!available()) {
            return null;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment src = input(arena, webp);
            MemorySegment features = arena.allocate(40, 4); // WebPBitstreamFeatures: 5 ints + 5 uint32 padding
            int status = (int) Leptonica.Webp.FEATURES.invokeExact(src, (long) webp.length, features,
                    WEBP_DECODER_ABI_VERSION);
            int w = features.get(ValueLayout.JAVA_INT, 0);
            int h = features.get(ValueLayout.JAVA_INT, 4);
            boolean alpha = features.get(ValueLayout.JAVA_INT, 8) != 0;
            boolean animated = features.get(ValueLayout.JAVA_INT, 12) != 0;
            if (status != 0 || animated || w < 1 || h < 1) {
                return null;
            }
            long bytes = 4L * w * h;
            MemorySegment dst = arena.allocate(bytes, 4);
            MemorySegment done = (MemorySegment) Leptonica.Webp.DECODE_BGRA_INTO.invokeExact(src, (long) webp.length, dst,
                    bytes, 4 * w);
            if (done.equals(MemorySegment.NULL)) {
                return null;
            }
            int[] argb = new int[w * h];
            MemorySegment.copy(dst, LE_INT, 0, argb, 0, argb.length);
            if (alpha) {
                for (int i = 0; i < argb.length; i++) {
                    int p = argb[i];
                    argb[i] = Decoder.premultiply(p >>> 24, (p >> 16) & 0xFF, (p >> 8) & 0xFF, p & 0xFF);
                }
            }
            return new Pixels(w, h, argb, alpha);
        } catch (OutOfMemoryError e) {
            throw e;
        } catch (Throwable e) {
            return null;
        }
    }

    /**
     * Encodes opaque pixels ({@code 0xFFRRGGBB}) as a baseline JPEG, 4:2:0, JFIF header only (no EXIF, no ICC).
     * {@code quality} is libjpeg's 1-100 (the same scale ImageIO's 0-1 quality maps onto). Null on failure.
     */
    static byte[] encodeJpeg(int[] argb, int w, int h, int quality) {
        if (!available()) {
            return null;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment pix = (MemorySegment) Leptonica.Pix.CREATE_NO_INIT.invokeExact(w, h, 32);
            if (pix.equals(MemorySegment.NULL)) {
                return null;
            }
            try {
                MemorySegment data = ((MemorySegment) Leptonica.Pix.DATA.invokeExact(pix)).reinterpret(4L * w * h);
                int[] chunk = new int[Math.min(CHUNK, w * h)];
                for (int at = 0; at < w * h; at += chunk.length) {
                    int n = Math.min(chunk.length, w * h - at);
                    for (int i = 0; i < n; i++) {
                        chunk[i] = Integer.rotateLeft(argb[at + i], 8); // 0xAARRGGBB -> leptonica's 0xRRGGBBAA
                    }
                    MemorySegment.copy(chunk, 0, data, ValueLayout.JAVA_INT, 4L * at, n);
                }
                MemorySegment out = arena.allocate(ValueLayout.ADDRESS);
                MemorySegment size = arena.allocate(ValueLayout.JAVA_LONG);
                int rc = (int) Leptonica.Jpeg.WRITE.invokeExact(out, size, pix, quality, 0);
                MemorySegment buffer = out.get(ValueLayout.ADDRESS, 0);
                if (buffer.equals(MemorySegment.NULL)) {
                    return null;
                }
                try {
                    long n = size.get(ValueLayout.JAVA_LONG, 0);
                    return rc != 0 || n < 4 ? null : buffer.reinterpret(n).toArray(ValueLayout.JAVA_BYTE);
                } finally {
                    Leptonica.Pix.FREE.invokeExact(buffer);
                }
            } finally {
                Leptonica.Pix.destroy(pix, arena);
            }
        } catch (OutOfMemoryError e) {
            throw e;
        } catch (Throwable e) {
            return null;
        }
    }

    /**
     * Encodes straight (not premultiplied) ARGB as WebP with libwebp's simple API: lossy VP8 at {@code quality}
     * (0-100; an alpha plane only when some pixel is not opaque) or lossless VP8L. Null on failure.
     */
    static byte[] encodeWebp(int[] argb, int w, int h, float quality, boolean lossless) {
        if (!available()) {
            return null;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment bgra = arena.allocate(4L * w * h, 4);
            MemorySegment.copy(argb, 0, bgra, LE_INT, 0, w * h);
            MemorySegment out = arena.allocate(ValueLayout.ADDRESS);
            long n = lossless ? (long) Leptonica.Webp.ENCODE_LOSSLESS_BGRA.invokeExact(bgra, w, h, 4 * w, out)
                    : (long) Leptonica.Webp.ENCODE_BGRA.invokeExact(bgra, w, h, 4 * w, quality, out);
            MemorySegment buffer = out.get(ValueLayout.ADDRESS, 0);
            if (buffer.equals(MemorySegment.NULL)) {
                return null;
            }
            try {
                return n <= 0 ? null : buffer.reinterpret(n).toArray(ValueLayout.JAVA_BYTE);
            } finally {
                Leptonica.Webp.FREE.invokeExact(buffer);
            }
        } catch (OutOfMemoryError e) {
            throw e;
        } catch (Throwable e) {
            return null;
        }
    }

    /** The encoded bytes in native memory with a NUL after them (pixReadMemJpeg's note 1 asks for it). */
    private static MemorySegment input(Arena arena, byte[] data) {
        MemorySegment src = arena.allocate(data.length + 1L);
        MemorySegment.copy(data, 0, src, ValueLayout.JAVA_BYTE, 0, data.length);
        return src;
    }

    /**
     * Copies a Pix (then destroys it) into {@link Pixels}: 32 bpp words 0xRRGGBBAA become 0xAARRGGBB (alpha
     * premultiplied when the Pix has 4 samples), 8 bpp grey is spread to R, G and B, and anything else (colour maps,
     * 1/2/4/16 bpp) is first converted to 32 bpp by leptonica. NULL gives null.
     */
    private static Pixels pixels(MemorySegment pix, Arena arena) throws Throwable {
        if (pix.equals(MemorySegment.NULL)) {
            return null;
        }
        MemorySegment converted = MemorySegment.NULL;
        try {
            int depth = (int) Leptonica.Pix.DEPTH.invokeExact(pix);
            boolean cmap = !((MemorySegment) Leptonica.Pix.COLORMAP.invokeExact(pix)).equals(MemorySegment.NULL);
            boolean alpha = depth == 32 && (int) Leptonica.Pix.SPP.invokeExact(pix) == 4;
            MemorySegment src = pix;
            if (cmap || (depth != 32 && depth != 8)) {
                converted = (MemorySegment) Leptonica.Pix.CONVERT_TO_32.invokeExact(pix);
                if (converted.equals(MemorySegment.NULL)) {
                    return null;
                }
                src = converted;
                depth = 32;
                alpha = false;
            }
            int w = (int) Leptonica.Pix.WIDTH.invokeExact(src);
            int h = (int) Leptonica.Pix.HEIGHT.invokeExact(src);
            int wpl = (int) Leptonica.Pix.WPL.invokeExact(src);
            MemorySegment data = ((MemorySegment) Leptonica.Pix.DATA.invokeExact(src)).reinterpret(4L * wpl * h);
            int[] argb = new int[Math.multiplyExact(w, h)];
            if (depth == 32) {
                MemorySegment.copy(data, ValueLayout.JAVA_INT, 0, argb, 0, argb.length); // wpl == w at 32 bpp
                for (int k = 0; k < argb.length; k++) {
                    int p = Integer.rotateRight(argb[k], 8);
                    argb[k] = alpha ? Decoder.premultiply(p >>> 24, (p >> 16) & 0xFF, (p >> 8) & 0xFF, p & 0xFF)
                            : p | 0xFF000000;
                }
            } else {
                int[] row = new int[wpl];
                for (int y = 0; y < h; y++) {
                    MemorySegment.copy(data, ValueLayout.JAVA_INT, 4L * wpl * y, row, 0, wpl);
                    for (int x = 0, o = y * w; x < w; x++) {
                        int v = (row[x >> 2] >>> (24 - 8 * (x & 3))) & 0xFF; // first pixel in the top byte
                        argb[o + x] = 0xFF000000 | v << 16 | v << 8 | v;
                    }
                }
            }
            return new Pixels(w, h, argb, alpha);
        } finally {
            if (!converted.equals(MemorySegment.NULL)) {
                Leptonica.Pix.destroy(converted, arena);
            }
            Leptonica.Pix.destroy(pix, arena);
        }
    }
}
