package io.photopipe.bench;

import io.photopipe.core.Rendition;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a contender over a photo set with a fixed number of threads: every thread takes the next photo until all
 * rounds are done. Measures wall time and the memory above idle ({@link MemoryProbe}) per photo in flight.
 */
final class Bench {

    /** A photo, its source megapixels and its EXIF orientation (1-8). */
    record Photo(String name, byte[] bytes, double megapixels, int orientation) {
    }

    private final List<Photo> photos;
    private final List<Rendition> renditions;
    private final int threads;
    private final int cores;
    private final Progress.Factory progress;

    Bench(List<Photo> photos, List<Rendition> renditions, int threads, Progress.Factory progress) {
        this.photos = List.copyOf(photos);
        this.renditions = List.copyOf(renditions);
        this.threads = threads;
        this.cores = Math.min(threads, Runtime.getRuntime().availableProcessors());
        this.progress = progress;
    }

    /** Renders every photo {@code rounds} times without measuring, so the JIT and the codecs are warm. */
    void warmUp(Contender contender, int rounds) throws Exception {
        try (Progress p = progress.start(contender.name() + " warm-up", (long) photos.size() * rounds)) {
            run(contender, rounds, p);
        }
    }

    BenchResult measure(Contender contender, int rounds) throws Exception {
        long bytes;
        MemoryProbe.Usage used;
        long start;
        double seconds;
        try (Progress p = progress.start(contender.name(), (long) photos.size() * rounds);
             MemoryProbe probe = MemoryProbe.start()) {
            start = System.nanoTime();
            bytes = run(contender, rounds, p);
            seconds = (System.nanoTime() - start) / 1e9;
            used = probe.stop();
        }
        int done = photos.size() * rounds;
        double megapixels = photos.stream().mapToDouble(Photo::megapixels).sum() * rounds;
        double inFlight = Math.min(threads, done);
        boolean own = contender.inProcess();
        return new BenchResult(contender.name(), done, seconds, done / seconds, megapixels / seconds / cores,
                seconds * 1000 * threads / done, own ? mb(used.heapPeak(), inFlight) : -1,
                own ? mb(used.liveMax(), inFlight) : -1, own ? mb(used.nativePeak(), inFlight) : -1,
                own ? mb(used.rssPeak(), inFlight) : -1, bytes, Double.NaN, 0);
    }

    private static double mb(long bytes, double inFlight) {
        return bytes < 0 ? -1 : bytes / 1048576.0 / inFlight;
    }

    private long run(Contender contender, int rounds, Progress p) throws Exception {
        int total = photos.size() * rounds;
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Long>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(() -> {
                    long bytes = 0;
                    for (int i = next.getAndIncrement(); i < total; i = next.getAndIncrement()) {
                        for (byte[] out : contender.render(photos.get(i % photos.size()).bytes(), renditions)) {
                            bytes += out == null ? 0 : out.length;
                        }
                        p.step();
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
}
