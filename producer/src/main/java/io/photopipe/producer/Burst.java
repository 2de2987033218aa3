package io.photopipe.producer;

import io.photopipe.producer.internal.Progress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

/**
 * Uploads N photos with C concurrent uploads through an {@link Uploader} (direct to S3 or through the upload API)
 * and measures per-upload latency and overall throughput.
 */
public final class Burst {
    /** One photo to upload. */
    public record Photo(String key, String fileName, String contentType, byte[] bytes) {
        public Photo {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(bytes, "bytes");
        }
    }

    /** How a photo gets into the bucket. */
    @FunctionalInterface
    public interface Uploader {
        /**
         * Uploads one photo, returning the key it was stored under.
         *
         * @throws Exception anything: the burst records it as that photo's failure
         */
        String upload(Photo photo) throws Exception;
    }

    /**
     * What happened.
     *
     * @param method          {@code s3} or {@code api}
     * @param photos          uploads attempted
     * @param uploaded        uploads that succeeded
     * @param failed          uploads that failed
     * @param bytes           bytes uploaded successfully
     * @param multipart       uploads at or above the multipart threshold (direct S3 only)
     * @param concurrency     uploads in flight at once
     * @param elapsed         wall time
     * @param photosPerSecond uploaded / elapsed
     * @param mibPerSecond    bytes / elapsed
     * @param latency         per successful upload, from start to stored
     * @param failures        the first failures: "key: reason"
     * @param keys            the keys uploaded (first 20)
     */
    public record Summary(String method, int photos, int uploaded, int failed, long bytes, int multipart,
                          int concurrency, Duration elapsed, double photosPerSecond, double mibPerSecond,
                          Latencies latency, List<String> failures, List<String> keys) {
    }

    private final Uploader uploader;
    private final int concurrency;

    public Burst(Uploader uploader, int concurrency) {
        if (concurrency < 1) {
            throw ProducerException.usage("--concurrency " + concurrency + " must be at least 1");
        }
        this.uploader = Objects.requireNonNull(uploader, "uploader");
        this.concurrency = concurrency;
    }

    /** Uploads all photos; never throws for a failed upload. */
    public Summary run(String method, List<Photo> photos, long multipartThreshold, Progress progress)
            throws InterruptedException {
        Semaphore slots = new Semaphore(concurrency);
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        List<Future<String>> results = new ArrayList<>();
        Instant start = Instant.now();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Photo p : photos) {
                slots.acquire();
                results.add(pool.submit(() -> {
                    long t0 = System.nanoTime();
                    try {
                        String key = uploader.upload(p);
                        latencies.add(System.nanoTime() - t0);
                        progress.step(1);
                        return key;
                    } finally {
                        slots.release();
                    }
                }));
            }
        }
        Duration elapsed = Duration.between(start, Instant.now());
        int ok = 0;
        long bytes = 0;
        int multipart = 0;
        List<String> failures = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < photos.size(); i++) {
            Photo p = photos.get(i);
            try {
                String key = results.get(i).get();
                ok++;
                bytes += p.bytes().length;
                if (p.bytes().length >= multipartThreshold) {
                    multipart++;
                }
                if (keys.size() < 20) {
                    keys.add(key);
                }
            } catch (java.util.concurrent.ExecutionException e) {
                if (failures.size() < 20) {
                    Throwable c = e.getCause();
                    failures.add(p.key() + ": " + (c.getMessage() == null ? c.toString() : c.getMessage()));
                }
            }
        }
        double secs = Math.max(elapsed.toNanos(), 1) / 1e9;
        return new Summary(method, photos.size(), ok, photos.size() - ok, bytes, multipart, concurrency, elapsed,
                ok / secs, bytes / secs / (1 << 20), Latencies.ofNanos(latencies), failures, keys);
    }
}
