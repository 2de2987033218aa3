package io.photopipe.worker.engine.internal;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The downcall handles into {@code libleptonica.so.6}, with the C signatures they bind (leptonica 1.87.0's
 * {@code allheaders.h}, libwebp 1.6.0's {@code decode.h}/{@code encode.h}; {@code l_int32}/{@code l_ok}/{@code int}
 * are 32-bit, {@code size_t} 64-bit on the Linux targets). Each group is a holder class, bound on first use, so a
 * cold start pays only for what the first photo needs (a downcall handle costs milliseconds to spin).
 */
@SuppressWarnings("restricted") // FFM downcalls; run with --enable-native-access=ALL-UNNAMED
final class Leptonica {

    private static final Logger LOG = LoggerFactory.getLogger(Leptonica.class);
    private static final int L_SEVERITY_NONE = 6;
    private static final ValueLayout A = ValueLayout.ADDRESS;
    private static final ValueLayout I = ValueLayout.JAVA_INT;
    private static final ValueLayout Z = ValueLayout.JAVA_LONG;

    static final NativeLibrary.Mode MODE = NativeLibrary.mode();
    static final NativeLibrary.Loaded LOADED = NativeLibrary.load(MODE, Leptonica.class.getClassLoader(),
            Path.of(System.getProperty("java.io.tmpdir")));
    /** {@code leptonica-1.87.0 (libgif ... : libjpeg ... : libwebp ...)}, or null when the library is not usable. */
    static final String VERSIONS = versions();

    private Leptonica() {
    }

    static boolean available() {
        return VERSIONS != null;
    }

    private static String versions() {
        if (LOADED.lookup() == null) {
            if (MODE != NativeLibrary.Mode.OFF) {
                LOG.warn("native codecs: {}", LOADED.status());
            }
            return null;
        }
        try {
            int ignored = (int) h("setMsgSeverity", FunctionDescriptor.of(I, I)).invokeExact(L_SEVERITY_NONE);
            MethodHandle free = h("lept_free", FunctionDescriptor.ofVoid(A));
            String v = string((MemorySegment) h("getLeptonicaVersion", FunctionDescriptor.of(A)).invokeExact(), free)
                    + " (" + string((MemorySegment) h("getImagelibVersions", FunctionDescriptor.of(A)).invokeExact(), free)
                    + ")";
            LOG.info("native codecs: {} from {}", v, LOADED.file());
            return v;
        } catch (Throwable e) {
            LOG.warn("native codecs: {} is not usable ({}); ImageIO decodes and encodes everything", LOADED.file(),
                    e.toString());
            return null;
        }
    }

    /** A C string the library allocated, copied and freed. */
    private static String string(MemorySegment s, MethodHandle free) throws Throwable {
        if (s.equals(MemorySegment.NULL)) {
            return "?";
        }
        try {
            return s.reinterpret(4096).getString(0).strip().replace("\n", " ");
        } finally {
            free.invokeExact(s);
        }
    }

    private static MethodHandle h(String name, FunctionDescriptor fd) {
        SymbolLookup lib = LOADED.lookup();
        return Linker.nativeLinker().downcallHandle(lib.findOrThrow(name), fd);
    }

    /** Pix accessors and lifetime: {@code PIX *pixCreateNoInit(l_int32 w, l_int32 h, l_int32 d)} and friends. */
    static final class Pix {
        static final MethodHandle CREATE_NO_INIT = h("pixCreateNoInit", FunctionDescriptor.of(A, I, I, I));
        /** {@code void pixDestroy(PIX **ppix)}: frees when the reference count drops to 0, sets *ppix to NULL. */
        static final MethodHandle DESTROY = h("pixDestroy", FunctionDescriptor.ofVoid(A));
        /** {@code PIX *pixConvertTo32(PIX *pixs)}: colour maps and 1/2/4/8/16 bpp to 32 bpp RGB; a new Pix. */
        static final MethodHandle CONVERT_TO_32 = h("pixConvertTo32", FunctionDescriptor.of(A, A));
        static final MethodHandle WIDTH = h("pixGetWidth", FunctionDescriptor.of(I, A));
        static final MethodHandle HEIGHT = h("pixGetHeight", FunctionDescriptor.of(I, A));
        static final MethodHandle DEPTH = h("pixGetDepth", FunctionDescriptor.of(I, A));
        static final MethodHandle SPP = h("pixGetSpp", FunctionDescriptor.of(I, A));
        static final MethodHandle WPL = h("pixGetWpl", FunctionDescriptor.of(I, A));
        /** {@code l_uint32 *pixGetData(PIX *pix)}: the raster, owned by the Pix. */
        static final MethodHandle DATA = h("pixGetData", FunctionDescriptor.of(A, A));
        static final MethodHandle COLORMAP = h("pixGetColormap", FunctionDescriptor.of(A, A));
        /** {@code void lept_free(void *ptr)}: for buffers leptonica allocated (pixWriteMem*, version strings). */
        static final MethodHandle FREE = h("lept_free", FunctionDescriptor.ofVoid(A));

        private Pix() {
        }

        /** {@code pixDestroy(&pix)}. */
        static void destroy(MemorySegment pix, Arena arena) throws Throwable {
            MemorySegment slot = arena.allocate(ValueLayout.ADDRESS);
            slot.set(ValueLayout.ADDRESS, 0, pix);
            DESTROY.invokeExact(slot);
        }
    }

    /** leptonica's JPEG I/O (jpegio.c): errors are caught with setjmp/longjmp and returned as NULL / 1. */
    static final class Jpeg {
        /**
         * {@code PIX *pixReadMemJpeg(const l_uint8 *data, size_t size, l_int32 cmflag, l_int32 reduction,
         * l_int32 *pnwarn, l_int32 hint)}: reduction 1, 2, 4 or 8; hint 0 fails on the first warning.
         */
        static final MethodHandle READ = h("pixReadMemJpeg", FunctionDescriptor.of(A, A, Z, I, I, A, I));
        /**
         * {@code l_ok pixWriteMemJpeg(l_uint8 **pdata, size_t *psize, PIX *pix, l_int32 quality, l_int32
         * progressive)}: *pdata is malloc'd (open_memstream), freed with lept_free.
         */
        static final MethodHandle WRITE = h("pixWriteMemJpeg", FunctionDescriptor.of(I, A, A, A, I, I));

        private Jpeg() {
        }
    }

    /** leptonica's other readers: {@code PIX *pixReadMemPng/Gif(const l_uint8 *data, size_t size)}, TIFF page n. */
    static final class Readers {
        static final MethodHandle PNG = h("pixReadMemPng", FunctionDescriptor.of(A, A, Z));
        static final MethodHandle TIFF = h("pixReadMemTiff", FunctionDescriptor.of(A, A, Z, I));
        static final MethodHandle GIF = h("pixReadMemGif", FunctionDescriptor.of(A, A, Z));

        private Readers() {
        }
    }

    /** libwebp's simple API: errors are return values (0, NULL), never exits. */
    static final class Webp {
        /** {@code VP8StatusCode WebPGetFeaturesInternal(const uint8_t*, size_t, WebPBitstreamFeatures*, int abi)}. */
        static final MethodHandle FEATURES = h("WebPGetFeaturesInternal", FunctionDescriptor.of(I, A, Z, A, I));
        /** {@code uint8_t *WebPDecodeBGRAInto(const uint8_t*, size_t, uint8_t *out, size_t out_size, int stride)}. */
        static final MethodHandle DECODE_BGRA_INTO = h("WebPDecodeBGRAInto", FunctionDescriptor.of(A, A, Z, A, Z, I));
        /** {@code size_t WebPEncodeBGRA(const uint8_t*, int w, int h, int stride, float q, uint8_t **out)}. */
        static final MethodHandle ENCODE_BGRA = h("WebPEncodeBGRA",
                FunctionDescriptor.of(Z, A, I, I, I, ValueLayout.JAVA_FLOAT, A));
        /** {@code size_t WebPEncodeLosslessBGRA(const uint8_t*, int w, int h, int stride, uint8_t **out)}. */
        static final MethodHandle ENCODE_LOSSLESS_BGRA = h("WebPEncodeLosslessBGRA", FunctionDescriptor.of(Z, A, I, I, I, A));
        /** {@code void WebPFree(void *ptr)}: for what the encoders returned. */
        static final MethodHandle FREE = h("WebPFree", FunctionDescriptor.ofVoid(A));

        private Webp() {
        }
    }
}
