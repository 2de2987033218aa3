package io.photopipe.worker.engine.internal;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.ByteOrder;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The native codecs, called through Java's FFM API (no JavaCPP, no JNI): leptonica's in-memory readers and JPEG
 * writer (libjpeg-turbo 3 with SIMD and DCT-domain scaling), and libwebp's simple encoding and decoding API, both
 * exported by the one {@code libleptonica.so.6} that {@link NativeLibrary} loads.
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

    private static final Logger LOG = LoggerFactory.getLogger(NativeCodecs.class);

    /** WEBP_DECODER_ABI_VERSION of libwebp 1.6 (webp/decode.h), checked by WebPGetFeaturesInternal. */
    private static final int WEBP_DECODER_ABI_VERSION = 0x0210;
    private static final int L_SEVERITY_NONE = 6;
    /** Little-endian ints: one int read from bytes B, G, R, A is 0xAARRGGBB, our layout (libwebp's BGRA). */
    private static final ValueLayout.OfInt LE_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final int CHUNK = 1 << 16;

    private static final NativeLibrary.Mode MODE = NativeLibrary.mode();
    private static final NativeLibrary.Loaded LOADED = NativeLibrary.load(MODE, NativeCodecs.class.getClassLoader(),
            Path.of(System.getProperty("java.io.tmpdir")));
    private static final Bindings LIB = Bindings.bind(LOADED);

    private NativeCodecs() {
    }

    /** Whether the native codecs are loaded. */
    public static boolean available() {
        return LIB != null;
    }

    /** Whether this process asked for them to be required ({@code PHOTOPIPE_NATIVE=required}). */
    public static boolean required() {
        return MODE == NativeLibrary.Mode.REQUIRED;
    }

    /** One sentence: which library was loaded from where, or why none was. */
    public static String status() {
        return LIB != null ? LIB.versions + " from " + LOADED.file() : LOADED.status();
    }

    /** The loaded versions, e.g. {@code leptonica-1.87.0 (libjpeg-turbo 3.0.1, libwebp 1.6.0, ...)}; null if none. */
    public static String versions() {
        return LIB == null ? null : LIB.versions;
    }

    /** The platform name the library was looked for under ({@code linux-x86_64}, {@code linux-arm64}, ...). */
    public static String platform() {
        return LOADED.platform();
    }

    /**
     * Decodes a JPEG reduced by {@code reduction} (1, 2, 4 or 8: libjpeg's DCT-domain scaling, the dropped
     * resolution is never computed), as opaque sRGB-as-stored pixels (no ICC conversion). Null if the native path
     * is absent or libjpeg reported anything (warnings included): the caller then decodes with ImageIO.
     */
    static Pixels decodeJpeg(byte[] jpeg, int reduction) {
        if (LIB == null) {
            return null;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment src = input(arena, jpeg);
            MemorySegment warnings = arena.allocate(ValueLayout.JAVA_INT);
            MemorySegment pix = (MemorySegment) LIB.pixReadMemJpeg.invokeExact(src, (long) jpeg.length, 0, reduction,
                    warnings, 0);
            return LIB.pixels(pix, arena);
        } catch (OutOfMemoryError e) {
            throw e;
        } catch (Throwable e) {
            return null;
        }
    }

    /** Decodes the first image of a PNG, TIFF or GIF with leptonica (libpng, libtiff, giflib); null if it cannot. */
    static Pixels decodeOther(Sniffer.Format format, byte[] data) {
        if (LIB == null) {
            return null;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment src = input(arena, data);
            MemorySegment pix = switch (format) {
                case PNG -> (MemorySegment) LIB.pixReadMemPng.invokeExact(src, (long) data.length);
                case TIFF -> (MemorySegment) LIB.pixReadMemTiff.invokeExact(src, (long) data.length, 0);
                case GIF -> (MemorySegment) LIB.pixReadMemGif.invokeExact(src, (long) data.length);
                default -> MemorySegment.NULL;
            };
            return LIB.pixels(pix, arena);
        } catch (OutOfMemoryError e) {
            throw e;
        } catch (Throwable e) {
            return null;
        }
    }

    /** Decodes a still WebP with libwebp; null if animated, invalid, or the native path is absent. */
    static Pixels decodeWebp(byte[] webp) {
        if (LIB == null) {
            return null;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment src = input(arena, webp);
            MemorySegment features = arena.allocate(40, 4); // WebPBitstreamFeatures: 5 ints + 5 uint32 padding
            int status = (int) LIB.webpGetFeatures.invokeExact(src, (long) webp.length, features,
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
            MemorySegment done = (MemorySegment) LIB.webpDecodeBgraInto.invokeExact(src, (long) webp.length, dst,
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
        if (LIB == null) {
            return null;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment pix = (MemorySegment) LIB.pixCreateNoInit.invokeExact(w, h, 32);
            if (pix.equals(MemorySegment.NULL)) {
                return null;
            }
            try {
                MemorySegment data = ((MemorySegment) LIB.pixGetData.invokeExact(pix)).reinterpret(4L * w * h);
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
                int rc = (int) LIB.pixWriteMemJpeg.invokeExact(out, size, pix, quality, 0);
                MemorySegment buffer = out.get(ValueLayout.ADDRESS, 0);
                if (buffer.equals(MemorySegment.NULL)) {
                    return null;
                }
                try {
                    long n = size.get(ValueLayout.JAVA_LONG, 0);
                    return rc != 0 || n < 4 ? null : buffer.reinterpret(n).toArray(ValueLayout.JAVA_BYTE);
                } finally {
                    LIB.leptFree.invokeExact(buffer);
                }
            } finally {
                LIB.destroy(pix, arena);
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
        if (LIB == null) {
            return null;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment bgra = arena.allocate(4L * w * h, 4);
            MemorySegment.copy(argb, 0, bgra, LE_INT, 0, w * h);
            MemorySegment out = arena.allocate(ValueLayout.ADDRESS);
            long n = lossless ? (long) LIB.webpEncodeLosslessBgra.invokeExact(bgra, w, h, 4 * w, out)
                    : (long) LIB.webpEncodeBgra.invokeExact(bgra, w, h, 4 * w, quality, out);
            MemorySegment buffer = out.get(ValueLayout.ADDRESS, 0);
            if (buffer.equals(MemorySegment.NULL)) {
                return null;
            }
            try {
                return n <= 0 ? null : buffer.reinterpret(n).toArray(ValueLayout.JAVA_BYTE);
            } finally {
                LIB.webpFree.invokeExact(buffer);
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

    /** The downcall handles, bound once; null (and a warning) when the library is absent or lacks a symbol. */
    private static final class Bindings {
        final MethodHandle pixReadMemJpeg;
        final MethodHandle pixReadMemPng;
        final MethodHandle pixReadMemTiff;
        final MethodHandle pixReadMemGif;
        final MethodHandle pixWriteMemJpeg;
        final MethodHandle pixCreateNoInit;
        final MethodHandle pixDestroy;
        final MethodHandle pixConvertTo32;
        final MethodHandle pixGetWidth;
        final MethodHandle pixGetHeight;
        final MethodHandle pixGetDepth;
        final MethodHandle pixGetSpp;
        final MethodHandle pixGetWpl;
        final MethodHandle pixGetData;
        final MethodHandle pixGetColormap;
        final MethodHandle leptFree;
        final MethodHandle webpGetFeatures;
        final MethodHandle webpDecodeBgraInto;
        final MethodHandle webpEncodeBgra;
        final MethodHandle webpEncodeLosslessBgra;
        final MethodHandle webpFree;
        final String versions;

        private Bindings(SymbolLookup lib) throws Throwable {
            ValueLayout a = ValueLayout.ADDRESS;
            ValueLayout i = ValueLayout.JAVA_INT;   // l_int32, l_ok, int
            ValueLayout z = ValueLayout.JAVA_LONG;  // size_t on 64-bit Linux
            pixReadMemJpeg = h(lib, "pixReadMemJpeg", FunctionDescriptor.of(a, a, z, i, i, a, i));
            pixReadMemPng = h(lib, "pixReadMemPng", FunctionDescriptor.of(a, a, z));
            pixReadMemTiff = h(lib, "pixReadMemTiff", FunctionDescriptor.of(a, a, z, i));
            pixReadMemGif = h(lib, "pixReadMemGif", FunctionDescriptor.of(a, a, z));
            pixWriteMemJpeg = h(lib, "pixWriteMemJpeg", FunctionDescriptor.of(i, a, a, a, i, i));
            pixCreateNoInit = h(lib, "pixCreateNoInit", FunctionDescriptor.of(a, i, i, i));
            pixDestroy = h(lib, "pixDestroy", FunctionDescriptor.ofVoid(a));
            pixConvertTo32 = h(lib, "pixConvertTo32", FunctionDescriptor.of(a, a));
            pixGetWidth = h(lib, "pixGetWidth", FunctionDescriptor.of(i, a));
            pixGetHeight = h(lib, "pixGetHeight", FunctionDescriptor.of(i, a));
            pixGetDepth = h(lib, "pixGetDepth", FunctionDescriptor.of(i, a));
            pixGetSpp = h(lib, "pixGetSpp", FunctionDescriptor.of(i, a));
            pixGetWpl = h(lib, "pixGetWpl", FunctionDescriptor.of(i, a));
            pixGetData = h(lib, "pixGetData", FunctionDescriptor.of(a, a));
            pixGetColormap = h(lib, "pixGetColormap", FunctionDescriptor.of(a, a));
            leptFree = h(lib, "lept_free", FunctionDescriptor.ofVoid(a));
            webpGetFeatures = h(lib, "WebPGetFeaturesInternal", FunctionDescriptor.of(i, a, z, a, i));
            webpDecodeBgraInto = h(lib, "WebPDecodeBGRAInto", FunctionDescriptor.of(a, a, z, a, z, i));
            webpEncodeBgra = h(lib, "WebPEncodeBGRA", FunctionDescriptor.of(z, a, i, i, i, ValueLayout.JAVA_FLOAT, a));
            webpEncodeLosslessBgra = h(lib, "WebPEncodeLosslessBGRA", FunctionDescriptor.of(z, a, i, i, i, a));
            webpFree = h(lib, "WebPFree", FunctionDescriptor.ofVoid(a));
            int ignored = (int) h(lib, "setMsgSeverity", FunctionDescriptor.of(i, i)).invokeExact(L_SEVERITY_NONE);
            MethodHandle lepVersion = h(lib, "getLeptonicaVersion", FunctionDescriptor.of(a));
            MethodHandle libVersions = h(lib, "getImagelibVersions", FunctionDescriptor.of(a));
            versions = string((MemorySegment) lepVersion.invokeExact()) + " ("
                    + string((MemorySegment) libVersions.invokeExact()) + ")";
        }

        static Bindings bind(NativeLibrary.Loaded loaded) {
            if (loaded.lookup() == null) {
                if (MODE != NativeLibrary.Mode.OFF) {
                    LOG.warn("native codecs: {}", loaded.status());
                }
                return null;
            }
            try {
                Bindings b = new Bindings(loaded.lookup());
                LOG.info("native codecs: {} from {}", b.versions, loaded.file());
                return b;
            } catch (Throwable e) {
                LOG.warn("native codecs: {} lacks what photopipe calls ({}); ImageIO decodes and encodes everything",
                        loaded.file(), e.toString());
                return null;
            }
        }

        private static MethodHandle h(SymbolLookup lib, String name, FunctionDescriptor fd) {
            return Linker.nativeLinker().downcallHandle(lib.findOrThrow(name), fd);
        }

        /** A C string leptonica allocated, copied and freed. */
        private String string(MemorySegment s) throws Throwable {
            if (s.equals(MemorySegment.NULL)) {
                return "?";
            }
            try {
                return s.reinterpret(4096).getString(0).strip().replace("\n", " ");
            } finally {
                leptFree.invokeExact(s);
            }
        }

        /** {@code pixDestroy(&pix)}. */
        void destroy(MemorySegment pix, Arena arena) throws Throwable {
            MemorySegment slot = arena.allocate(ValueLayout.ADDRESS);
            slot.set(ValueLayout.ADDRESS, 0, pix);
            pixDestroy.invokeExact(slot);
        }

        /**
         * Copies a Pix (then destroys it) into {@link Pixels}: 32 bpp words 0xRRGGBBAA become 0xAARRGGBB (alpha
         * premultiplied when the Pix has 4 samples), 8 bpp grey is spread to R, G and B, and anything else (colour
         * maps, 1/2/4/16 bpp) is first converted to 32 bpp by leptonica. NULL gives null.
         */
        Pixels pixels(MemorySegment pix, Arena arena) throws Throwable {
            if (pix.equals(MemorySegment.NULL)) {
                return null;
            }
            MemorySegment converted = MemorySegment.NULL;
            try {
                int depth = (int) pixGetDepth.invokeExact(pix);
                boolean cmap = !((MemorySegment) pixGetColormap.invokeExact(pix)).equals(MemorySegment.NULL);
                boolean alpha = depth == 32 && (int) pixGetSpp.invokeExact(pix) == 4;
                MemorySegment src = pix;
                if (cmap || (depth != 32 && depth != 8)) {
                    converted = (MemorySegment) pixConvertTo32.invokeExact(pix);
                    if (converted.equals(MemorySegment.NULL)) {
                        return null;
                    }
                    src = converted;
                    depth = 32;
                    alpha = false;
                }
                int w = (int) pixGetWidth.invokeExact(src);
                int h = (int) pixGetHeight.invokeExact(src);
                int wpl = (int) pixGetWpl.invokeExact(src);
                MemorySegment data = ((MemorySegment) pixGetData.invokeExact(src)).reinterpret(4L * wpl * h);
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
                    destroy(converted, arena);
                }
                destroy(pix, arena);
            }
        }
    }
}
