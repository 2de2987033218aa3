package io.photopipe.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import javax.management.ListenerNotFoundException;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * Memory used while a contender runs, above what the process held just before (after a full GC):
 * <ul>
 *   <li><b>heap</b>: the peak of the JVM's heap pools (their peaks are reset at the start; garbage not yet collected
 *       included);</li>
 *   <li><b>live</b>: the largest heap left right after any garbage collection during the run (what was really
 *       reachable: the photos in flight); -1 if no collection ran;</li>
 *   <li><b>native</b>: the peak of malloc'ed bytes in use ({@link NativeMemory#mallocInUse()}), sampled every 5 ms:
 *       native codec buffers, FFM arenas, direct buffers;</li>
 *   <li><b>rss</b>: the peak resident set ({@code VmRSS}), sampled likewise: heap pages newly touched included.</li>
 * </ul>
 * Sampling can miss a peak shorter than 5 ms; image buffers live for tens of milliseconds at least.
 */
final class MemoryProbe implements AutoCloseable {
    private static final long SAMPLE_MS = 5;

    /** Bytes above the idle state; -1 where unknown. */
    record Usage(long heapPeak, long liveMax, long nativePeak, long rssPeak) {
    }

    private final long idleHeap;
    private final long idleNative;
    private final long idleRss;
    private final AtomicLong liveMax = new AtomicLong(-1);
    private final AtomicLong nativeMax = new AtomicLong(-1);
    private final AtomicLong rssMax = new AtomicLong(-1);
    private final List<NotificationEmitter> emitters = new ArrayList<>();
    private final NotificationListener listener = (n, hb) -> {
        if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
            var info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
            Set<String> heap = heapPools().stream().map(MemoryPoolMXBean::getName).collect(Collectors.toSet());
            long used = info.getGcInfo().getMemoryUsageAfterGc().entrySet().stream()
                    .filter(e -> heap.contains(e.getKey())).mapToLong(e -> e.getValue().getUsed()).sum();
            liveMax.accumulateAndGet(used, Math::max);
        }
    };
    private final Thread sampler;
    private volatile boolean running = true;

    private MemoryProbe() {
        System.gc();
        idleHeap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        idleNative = NativeMemory.mallocInUse();
        idleRss = NativeMemory.rss();
        heapPools().forEach(MemoryPoolMXBean::resetPeakUsage);
        for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener(listener, null, null);
                emitters.add(emitter);
            }
        }
        sampler = Thread.ofPlatform().daemon().name("bench-memory").start(this::sample);
    }

    /** Starts measuring now. */
    static MemoryProbe start() {
        return new MemoryProbe();
    }

    private void sample() {
        while (running) {
            nativeMax.accumulateAndGet(NativeMemory.mallocInUse(), Math::max);
            rssMax.accumulateAndGet(NativeMemory.rss(), Math::max);
            try {
                Thread.sleep(SAMPLE_MS); // a sampling period, not synchronisation
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Stops measuring; what was used above the idle state. */
    Usage stop() {
        close();
        long peak = heapPools().stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
        return new Usage(Math.max(0, peak - idleHeap), above(liveMax.get(), idleHeap),
                idleNative < 0 ? -1 : above(nativeMax.get(), idleNative), idleRss < 0 ? -1 : above(rssMax.get(), idleRss));
    }

    private static long above(long max, long idle) {
        return max < 0 ? -1 : Math.max(0, max - idle);
    }

    @Override
    public void close() {
        running = false;
        sampler.interrupt();
        try {
            sampler.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (var e : emitters) {
            try {
                e.removeNotificationListener(listener);
            } catch (ListenerNotFoundException ignored) {
                // already gone
            }
        }
        emitters.clear();
    }

    private static List<MemoryPoolMXBean> heapPools() {
        return ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP).toList();
    }
}
