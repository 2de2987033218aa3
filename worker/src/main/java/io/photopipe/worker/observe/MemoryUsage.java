package io.photopipe.worker.observe;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The process's memory as the operating system and the JVM see it. Lambda stops an environment whose process
 * exceeds the function's memory (reported as "Max Memory Used" in the REPORT line), and that counts the resident set,
 * not the heap: decoders' native buffers, thread stacks and metaspace are outside {@code -Xmx}. So each invocation
 * logs both: {@code VmRSS} (resident now) and {@code VmHWM} (the peak resident set since the process started, which
 * is what "Max Memory Used" reports) from {@code /proc/self/status}, beside the heap.
 *
 * @param residentBytes VmRSS, or -1 where there is no {@code /proc} (not Linux)
 * @param peakBytes     VmHWM, or -1
 * @param heapUsedBytes the heap in use
 * @param heapMaxBytes  the heap's limit
 */
public record MemoryUsage(long residentBytes, long peakBytes, long heapUsedBytes, long heapMaxBytes) {
    private static final Path STATUS = Path.of("/proc/self/status");

    /** Now. */
    public static MemoryUsage now() {
        long rss = -1;
        long hwm = -1;
        try {
            List<String> lines = Files.readAllLines(STATUS);
            rss = kilobytes(lines, "VmRSS:");
            hwm = kilobytes(lines, "VmHWM:");
        } catch (IOException | RuntimeException e) {
            // not Linux, or /proc is not readable: the heap figures still say something
        }
        java.lang.management.MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        return new MemoryUsage(rss, hwm, heap.getUsed(), heap.getMax());
    }

    /** A {@code Name:   1234 kB} line of /proc/self/status, in bytes; -1 when absent. */
    static long kilobytes(List<String> lines, String name) {
        for (String l : lines) {
            if (l.startsWith(name)) {
                String[] parts = l.substring(name.length()).trim().split("\\s+");
                return Long.parseLong(parts[0]) * 1024;
            }
        }
        return -1;
    }

    /** Mebibytes, rounded; -1 stays -1. */
    static long mb(long bytes) {
        return bytes < 0 ? -1 : Math.round(bytes / 1048576.0);
    }
}
