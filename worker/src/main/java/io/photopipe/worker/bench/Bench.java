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
        LiveHeap live = new LiveHeap();
        long start = System.nanoTime();
        long bytes;
        try {
            bytes = run(contender, rounds);
        } finally {
            live.close();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long peak = peakHeap();
        int done = photos.size() * rounds;
        double megapixels = photos.stream().mapToDouble(Photo::megapixels).sum() * rounds;
        double inFlight = Math.min(threads, done);
        return new BenchResult(contender.name(), done, seconds, done / seconds, megapixels / seconds / cores,
                seconds * 1000 * threads / done, Math.max(0, peak - idle) / 1048576.0 / inFlight,
                live.max() < 0 ? -1 : Math.max(0, live.max() - idle) / 1048576.0 / inFlight, bytes);
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

    /**
     * The largest heap in use right after any garbage collection during the run: what was really live (photos in
     * flight), unlike the peak, which also counts garbage not yet collected. -1 if no collection happened.
     */
    private static final class LiveHeap implements AutoCloseable {
        private final java.util.concurrent.atomic.AtomicLong max = new java.util.concurrent.atomic.AtomicLong(-1);
        private final List<javax.management.NotificationEmitter> emitters = new ArrayList<>();
        private final javax.management.NotificationListener listener = (n, hb) -> {
            if (com.sun.management.GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
                var info = com.sun.management.GarbageCollectionNotificationInfo.from(
                        (javax.management.openmbean.CompositeData) n.getUserData());
                long used = 0;
                for (var e : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
                    if (heapPools().stream().anyMatch(p -> p.getName().equals(e.getKey()))) {
                        used += e.getValue().getUsed();
                    }
                }
                long u = used;
                max.accumulateAndGet(u, Math::max);
            }
        };

        LiveHeap() {
            for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                if (gc instanceof javax.management.NotificationEmitter emitter) {
                    emitter.addNotificationListener(listener, null, null);
                    emitters.add(emitter);
                }
            }
        }

        long max() {
            return max.get();
        }

        @Override
        public void close() {
            for (var e : emitters) {
                try {
                    e.removeNotificationListener(listener);
                } catch (javax.management.ListenerNotFoundException ignored) {
                    // already gone
                }
            }
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
