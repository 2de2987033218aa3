package io.photopipe.bench;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What this process holds outside the Java heap, read while the bench runs.
 *
 * <p>{@link #mallocInUse()} is glibc's {@code mallinfo2()}: bytes handed out by {@code malloc} and not yet freed, in
 * all arenas, small blocks ({@code uordblks}) plus mmapped large blocks ({@code hblkhd}). That is exactly where
 * native codecs (libjpeg, leptonica's pixels), FFM arenas and direct buffers keep image data, and unlike RSS it does
 * not count Java heap pages the collector happens to touch. No library exposes it to Java, hence this small FFM call
 * (glibc 2.33+; -1 elsewhere). {@link #rss()} is the resident set from {@code /proc/self/status} ({@code VmRSS}), the
 * whole process, heap included: the figure an out-of-memory killer looks at.
 */
final class NativeMemory {
    private static final StructLayout MALLINFO2 = MemoryLayout.structLayout(
            ValueLayout.JAVA_LONG.withName("arena"), ValueLayout.JAVA_LONG.withName("ordblks"),
            ValueLayout.JAVA_LONG.withName("smblks"), ValueLayout.JAVA_LONG.withName("hblks"),
            ValueLayout.JAVA_LONG.withName("hblkhd"), ValueLayout.JAVA_LONG.withName("usmblks"),
            ValueLayout.JAVA_LONG.withName("fsmblks"), ValueLayout.JAVA_LONG.withName("uordblks"),
            ValueLayout.JAVA_LONG.withName("fordblks"), ValueLayout.JAVA_LONG.withName("keepcost"));
    private static final long HBLKHD = MALLINFO2.byteOffset(MemoryLayout.PathElement.groupElement("hblkhd"));
    private static final long UORDBLKS = MALLINFO2.byteOffset(MemoryLayout.PathElement.groupElement("uordblks"));
    private static final MethodHandle MALLINFO2_CALL = lookup();
    private static final Path STATUS = Path.of("/proc/self/status");

    private NativeMemory() {
    }

    private static MethodHandle lookup() {
        try {
            Linker linker = Linker.nativeLinker();
            return linker.defaultLookup().find("mallinfo2")
                    .map(f -> linker.downcallHandle(f, FunctionDescriptor.of(MALLINFO2)))
                    .orElse(null);
        } catch (RuntimeException | LinkageError e) { // not Linux/glibc, or native access refused
            return null;
        }
    }

    /** Whether {@link #mallocInUse()} can be measured here. */
    static boolean mallocAvailable() {
        return MALLINFO2_CALL != null;
    }

    /** Bytes allocated by malloc and not freed (all arenas, mmapped blocks included), or -1 if unknown. */
    static long mallocInUse() {
        if (MALLINFO2_CALL == null) {
            return -1;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment info = (MemorySegment) MALLINFO2_CALL.invokeExact((java.lang.foreign.SegmentAllocator) arena);
            return info.get(ValueLayout.JAVA_LONG, UORDBLKS) + info.get(ValueLayout.JAVA_LONG, HBLKHD);
        } catch (Throwable e) {
            return -1;
        }
    }

    /** The resident set size in bytes ({@code VmRSS}), or -1 if unknown. */
    static long rss() {
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.substring(6).strip().split("\\s+")[0]) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
