package io.photopipe.worker.engine.internal;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.ByteOrder;
import java.util.Locale;

/**
 * Optional fast path for JPEG: libjpeg-turbo's TurboJPEG API called through the FFM API (Java 22+), decoding with
 * DCT-domain scaling (1/2, 1/4, 1/8 ...: the skipped resolution is never computed) and SIMD, about 5-10x faster than
 * ImageIO's libjpeg 6b with source subsampling. Used only when {@code libturbojpeg.so.0} can be loaded (Debian:
 * {@code libturbojpeg0}; on Lambda a layer with it in {@code /opt/lib}), and only for plain YCbCr, RGB and grey
 * JPEGs; CMYK/YCCK and anything it reports a problem with go through ImageIO (TwelveMonkeys), which also writes the
 * user-facing rejection messages. Disable with {@code -Dphotopipe.turbojpeg=off} or
 * {@code PHOTOPIPE_TURBOJPEG=off}; point at a library with {@code PHOTOPIPE_TURBOJPEG=/path/libturbojpeg.so}.
 */
@SuppressWarnings("restricted") // FFM downcalls are the point of this class; enable with --enable-native-access
public final class TurboJpeg {

    private static final int TJPF_BGRA = 8;
    private static final int TJCS_RGB = 0;
    private static final int TJCS_YCBCR = 1;
    private static final int TJCS_GRAY = 2;

    private static final TurboJpeg INSTANCE = load();

    private final MethodHandle init;
    private final MethodHandle header;
    private final MethodHandle decompress;
    private final MethodHandle destroy;
    private final int[][] factors; // {num, denom}, largest first
    private final String description;

    private TurboJpeg(SymbolLookup lib, String description) throws Throwable {
        Linker linker = Linker.nativeLinker();
        ValueLayout addr = ValueLayout.ADDRESS;
        ValueLayout.OfInt i32 = ValueLayout.JAVA_INT;
        ValueLayout.OfLong ulong = ValueLayout.JAVA_LONG; // unsigned long: 64-bit on Linux x86_64 and aarch64
        init = linker.downcallHandle(lib.findOrThrow("tjInitDecompress"), FunctionDescriptor.of(addr));
        header = linker.downcallHandle(lib.findOrThrow("tjDecompressHeader3"),
                FunctionDescriptor.of(i32, addr, addr, ulong, addr, addr, addr, addr));
        decompress = linker.downcallHandle(lib.findOrThrow("tjDecompress2"),
                FunctionDescriptor.of(i32, addr, addr, ulong, addr, i32, i32, i32, i32, i32));
        destroy = linker.downcallHandle(lib.findOrThrow("tjDestroy"), FunctionDescriptor.of(i32, addr));
        MethodHandle scaling = linker.downcallHandle(lib.findOrThrow("tjGetScalingFactors"),
                FunctionDescriptor.of(addr, addr));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment count = arena.allocate(i32);
            MemorySegment list = (MemorySegment) scaling.invokeExact(count);
            int n = count.get(i32, 0);
            MemorySegment all = list.reinterpret(8L * n);
            factors = new int[n][];
            for (int i = 0; i < n; i++) {
                factors[i] = new int[] {all.get(i32, 8L * i), all.get(i32, 8L * i + 4)};
            }
        }
        this.description = description;
    }

    private static TurboJpeg load() {
        String setting = System.getProperty("photopipe.turbojpeg", System.getenv("PHOTOPIPE_TURBOJPEG"));
        if (setting != null && setting.strip().toLowerCase(Locale.ROOT).matches("off|false|no|0")) {
            return null;
        }
        String library = setting != null && setting.contains("/") ? setting.strip() : "libturbojpeg.so.0";
        try {
            SymbolLookup lib = SymbolLookup.libraryLookup(library, Arena.global());
            return new TurboJpeg(lib, "libjpeg-turbo (" + library + ")");
        } catch (Throwable e) {
            // absent (the usual case on Lambda without a layer) or unusable: ImageIO does all JPEGs
            return null;
        }
    }

    /** Whether the native decoder is in use. */
    public static boolean available() {
        return INSTANCE != null;
    }

    /** Which JPEG decoder renders: for logs and the benchmark. */
    public static String jpegDecoder() {
        return INSTANCE != null ? INSTANCE.description : "ImageIO (TwelveMonkeys + JDK libjpeg)";
    }

    /**
     * Decodes {@code jpeg} at the smallest DCT scale that still keeps {@code minScale} of its resolution (at least
     * 1/8), or returns null when this decoder should not or could not (the caller then uses ImageIO).
     */
    static Pixels decode(byte[] jpeg, double minScale) {
        return INSTANCE == null ? null : INSTANCE.decodeScaled(jpeg, minScale);
    }

    private Pixels decodeScaled(byte[] jpeg, double minScale) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment handle = (MemorySegment) init.invokeExact();
            if (handle.equals(MemorySegment.NULL)) {
                return null;
            }
            try {
                MemorySegment src = arena.allocate(jpeg.length);
                MemorySegment.copy(jpeg, 0, src, ValueLayout.JAVA_BYTE, 0, jpeg.length);
                MemorySegment dims = arena.allocate(ValueLayout.JAVA_INT, 4);
                int rc = (int) header.invokeExact(handle, src, (long) jpeg.length, dims,
                        dims.asSlice(4), dims.asSlice(8), dims.asSlice(12));
                if (rc != 0) {
                    return null;
                }
                int w = dims.get(ValueLayout.JAVA_INT, 0);
                int h = dims.get(ValueLayout.JAVA_INT, 4);
                int colourspace = dims.get(ValueLayout.JAVA_INT, 12);
                if (colourspace != TJCS_YCBCR && colourspace != TJCS_GRAY && colourspace != TJCS_RGB) {
                    return null; // CMYK/YCCK: TwelveMonkeys converts those properly
                }
                int[] f = pick(minScale);
                int sw = (w * f[0] + f[1] - 1) / f[1];
                int sh = (h * f[0] + f[1] - 1) / f[1];
                MemorySegment dst = arena.allocate((long) sw * sh * 4);
                rc = (int) decompress.invokeExact(handle, src, (long) jpeg.length, dst, sw, sw * 4, sh, TJPF_BGRA, 0);
                if (rc != 0) {
                    return null; // warnings included (e.g. premature end): ImageIO says what is wrong
                }
                int[] argb = new int[sw * sh];
                MemorySegment.copy(dst, ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0,
                        argb, 0, argb.length);
                for (int i = 0; i < argb.length; i++) {
                    argb[i] |= 0xFF000000;
                }
                return new Pixels(sw, sh, argb, false);
            } finally {
                int ignored = (int) destroy.invokeExact(handle);
            }
        } catch (Throwable e) {
            return null;
        }
    }

    /** The smallest scaling factor (at most 1) that keeps at least {@code minScale}. */
    private int[] pick(double minScale) {
        int[] best = {1, 1};
        for (int[] f : factors) {
            double s = (double) f[0] / f[1];
            if (s <= 1 && s >= minScale && s < (double) best[0] / best[1]) {
                best = f;
            }
        }
        return best;
    }
}
