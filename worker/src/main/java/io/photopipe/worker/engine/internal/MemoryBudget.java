package io.photopipe.worker.engine.internal;

import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A semaphore of bytes (counted in KiB) bounding the decoded pixels in memory across threads: a render takes its
 * estimate before decoding and gives it back when done, so a batch of large photos queues instead of running the
 * JVM out of heap. A render larger than the whole budget waits for all of it and runs alone.
 */
public final class MemoryBudget {

    private final int totalKib;
    private final Semaphore permits;
    private final AtomicLong peakKib = new AtomicLong();

    public MemoryBudget(long bytes) {
        this.totalKib = (int) Math.min(Integer.MAX_VALUE, Math.max(1, bytes >> 10));
        this.permits = new Semaphore(totalKib, true);
    }

    /** Blocks until {@code bytes} (at most the whole budget) are available; the result releases them. */
    public Lease acquire(long bytes) throws InterruptedException {
        int kib = (int) Math.min(totalKib, Math.max(1, (bytes + 1023) >> 10));
        permits.acquire(kib);
        peakKib.accumulateAndGet(totalKib - permits.availablePermits(), Math::max);
        return new Lease(kib);
    }

    public long availableBytes() {
        return (long) permits.availablePermits() << 10;
    }

    /** The most bytes held at once since this budget was made. */
    public long peakBytes() {
        return peakKib.get() << 10;
    }

    public long totalBytes() {
        return (long) totalKib << 10;
    }

    /** Held budget; closing returns it (once). */
    public final class Lease implements AutoCloseable {
        private int kib;

        private Lease(int kib) {
            this.kib = kib;
        }

        @Override
        public void close() {
            if (kib > 0) {
                permits.release(kib);
                kib = 0;
            }
        }
    }
}
