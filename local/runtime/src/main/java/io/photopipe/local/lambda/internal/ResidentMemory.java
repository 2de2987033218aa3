package io.photopipe.local.lambda.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The resident memory of a process and its descendants, from Linux's {@code /proc/<pid>/status} ({@code VmRSS}):
 * what Lambda's memory limit bounds (an execution environment is a cgroup whose memory limit is the function's
 * MemorySize; a process above it is killed). Resident, not virtual: a JVM reserves far more address space than it
 * touches. Elsewhere than Linux there is no {@code /proc} and {@link #supported()} is false.
 */
final class ResidentMemory {
    /** How often an environment's memory is sampled: a peak shorter than this between two samples is missed. */
    static final Duration SAMPLE_EVERY = Duration.ofMillis(100);
    /** How often the set of descendant processes is looked up again (that scans all of /proc). */
    static final int DESCENDANTS_EVERY_SAMPLES = 20;

    private final ProcessHandle process;
    private List<ProcessHandle> descendants = List.of();
    private int samples;

    ResidentMemory(ProcessHandle process) {
        this.process = process;
    }

    static boolean supported() {
        return Files.isReadable(Path.of("/proc/self/status"));
    }

    /** Resident kilobytes of the process and its descendants now; -1 when the process is gone or unreadable. */
    synchronized long kilobytes() {
        long own = vmRssKb(process.pid());
        if (own < 0) {
            return -1;
        }
        if (samples++ % DESCENDANTS_EVERY_SAMPLES == 0) {
            descendants = process.descendants().toList();
        }
        long total = own;
        for (ProcessHandle d : descendants) {
            long kb = vmRssKb(d.pid());
            if (kb > 0) {
                total += kb;
            }
        }
        return total;
    }

    /** {@code VmRSS} of one process in kB, or -1 (gone, a zombie without memory, or no /proc). */
    static long vmRssKb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"),
                    StandardCharsets.ISO_8859_1)) {
                if (line.startsWith("VmRSS:")) {
                    String[] parts = line.substring(6).trim().split("\\s+");
                    return Long.parseLong(parts[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
