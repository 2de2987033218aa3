package io.photopipe.worker.bench;

import io.photopipe.core.Rendition;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a contender over a photo set with a fixed number of threads: every thread takes the next photo until all
 * rounds are done. Measures wall time and the peak heap (from the JVM's heap pools, whose peaks are reset after a GC
 * before each run).
 */
final class Bench {

    /** A photo and its source megapixels. */
    record Photo(String name, byte[] bytes, double megapixels) {
    }

    private final List<Photo> photos;
    private final List<Rendition> renditions;
    private final int threads;
    private final int cores;

    Bench(List<Photo> photos, List<Rendition> renditions, int threads) {
        this.photos = List.copyOf(photos);
        this.renditions = List.copyOf(renditions);
        this.threads = threads;
        this.cores = Math.min(threads, Runtime.getRuntime().availableProcessors());
    }

    /** Renders every photo once per thread without measuring, so the JIT and ImageIO registries are warm. */
    void warmUp(Contender contender, int rounds) throws Exception {
        run(contender, rounds);
    }

    BenchResult measure(Contender contender, int rounds) throws Exception {
        System.gc();
        long idle = heapUsed();
        resetPeaks();
        long start = System.nanoTime();
        long bytes = run(contender, rounds);
        double seconds = (System.nanoTime() - start) / 1e9;
        long peak = peakHeap();
        int done = photos.size() * rounds;
        double megapixels = photos.stream().mapToDouble(Photo::megapixels).sum() * rounds;
        double inFlight = Math.min(threads, done);
        return new BenchResult(contender.name(), done, seconds, done / seconds, megapixels / seconds / cores,
                seconds * 1000 * threads / done, Math.max(0, peak - idle) / 1048576.0 / inFlight, bytes);
    }

    private long run(Contender contender, int rounds) throws Exception {
        int total = photos.size() * rounds;
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Long>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(() -> {
                    long bytes = 0;
                    for (int i = next.getAndIncrement(); i < total; i = next.getAndIncrement()) {
                        bytes += contender.render(photos.get(i % photos.size()).bytes(), renditions);
                    }
                    return bytes;
                }));
            }
            long bytes = 0;
            for (Future<Long> f : futures) {
                bytes += f.get();
            }
            return bytes;
        } finally {
            pool.shutdownNow();
        }
    }

    private static List<MemoryPoolMXBean> heapPools() {
        return ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP).toList();
    }

    private static long heapUsed() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static void resetPeaks() {
        heapPools().forEach(MemoryPoolMXBean::resetPeakUsage);
    }

    private static long peakHeap() {
        return heapPools().stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
    }
}
