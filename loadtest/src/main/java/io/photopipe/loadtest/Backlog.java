package io.photopipe.loadtest;

import io.photopipe.producer.Backfill;
import io.photopipe.producer.BackfillSummary;
import io.photopipe.producer.BatchSender;
import io.photopipe.producer.ListingSource;
import io.photopipe.producer.ObjectFilter;
import io.photopipe.producer.SendBatchPort;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.function.BooleanSupplier;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * A library of existing photos for the backfill scenarios: put straight into the bucket under a run's own prefix,
 * their upload notifications taken out of the queue (the local worker is not consuming yet, so the queue is purged;
 * a deployed stack processes them first and the backfill then forces a rebuild), then re-processed by the producer's
 * {@link Backfill} exactly as {@code ./photopipe produce backfill} does.
 */
public final class Backlog {
    private static final int PUT_CONCURRENCY = 16;

    private final Target target;
    private final String prefix;
    private final List<String> keys;
    private final boolean processedFirst;
    private volatile Backfill backfill;
    private volatile Thread thread;
    private volatile BackfillSummary summary;
    private volatile Throwable failure;
    private volatile long startedAtMs;

    private Backlog(Target target, String prefix, List<String> keys, boolean processedFirst) {
        this.target = target;
        this.prefix = prefix;
        this.keys = List.copyOf(keys);
        this.processedFirst = processedFirst;
    }

    /** Whether the worker processed the seeded photos already (the backfill then rebuilds them). */
    public boolean processedFirst() {
        return processedFirst;
    }

    /**
     * Puts {@code count} photos under {@code <inputPrefix>loadtest/<runId>/} and leaves the queue empty: purged when
     * the worker is held (the local stack before it consumes), else after the worker processed them.
     *
     * @throws IllegalStateException when the objects or their notifications do not settle in time
     */
    public static Backlog seed(Target target, PhotoSource photos, int count, String runId)
            throws InterruptedException {
        String prefix = target.settings().inputPrefix() + "loadtest/" + runId + "/";
        List<String> keys = new ArrayList<>(count);
        Semaphore slots = new Semaphore(PUT_CONCURRENCY);
        List<Future<?>> puts = new ArrayList<>(count);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < count; i++) {
                PhotoSource.Item item = photos.item(i);
                String key = String.format(Locale.ROOT, "%s%07d-%s", prefix, i, item.fileName());
                keys.add(key);
                slots.acquire();
                puts.add(pool.submit(() -> {
                    try {
                        target.s3().putObject(b -> b.bucket(target.bucket()).key(key).contentType(item.contentType()),
                                RequestBody.fromBytes(item.bytes()));
                    } finally {
                        slots.release();
                    }
                }));
            }
            for (Future<?> f : puts) {
                try {
                    f.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    throw new IllegalStateException("seeding the backlog failed: " + e.getCause(), e.getCause());
                }
            }
        }
        Duration limit = Duration.ofSeconds(60 + count / 50);
        boolean hold = target.canHoldBacklog() && !target.consuming();
        if (hold) {
            await(() -> depth(target, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES) >= count, limit,
                    "the " + count + " upload notifications of the backlog did not all reach the queue");
            target.sqs().purgeQueue(b -> b.queueUrl(target.queueUrl()));
            await(() -> depth(target, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES) == 0, limit,
                    "the queue did not empty after PurgeQueue");
        } else {
            await(() -> depth(target, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES) == 0
                    && depth(target, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE) == 0,
                    limit.multipliedBy(10), "the worker did not process the seeded backlog");
        }
        return new Backlog(target, prefix, keys, !hold);
    }

    private static long depth(Target t, QueueAttributeName name) {
        String v = t.sqs().getQueueAttributes(b -> b.queueUrl(t.queueUrl()).attributeNames(name)).attributes()
                .get(name);
        return v == null ? 0 : Long.parseLong(v);
    }

    private static void await(BooleanSupplier done, Duration limit, String what) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new IllegalStateException(what + " within " + Durations.format(limit));
            }
            Thread.sleep(200);
        }
    }

    /** The seeded keys, in listing order. */
    public List<String> keys() {
        return keys;
    }

    public String prefix() {
        return prefix;
    }

    /**
     * Starts the producer's backfill of the whole prefix on its own thread, with {@code --force} (the outputs may
     * exist) and the given rate limit (0: none).
     */
    public synchronized void start(double rate) {
        if (thread != null) {
            return;
        }
        Backfill b = new Backfill(new ListingSource(target.s3(), target.bucket(), prefix),
                ObjectFilter.all(List.of()), BatchSender.withDefaults(SendBatchPort.of(target.sqs())),
                new Backfill.Options(target.queueUrl(), target.region().id(), true, 8, rate, null, null, false, 0),
                null, null);
        backfill = b;
        startedAtMs = System.currentTimeMillis();
        thread = Thread.ofPlatform().name("loadtest-backfill").daemon().start(() -> {
            try {
                summary = b.run();
            } catch (Throwable e) {
                failure = e;
            }
        });
    }

    /** Epoch millis when the backfill started, 0 if it has not. */
    public long startedAtMs() {
        return startedAtMs;
    }

    /** Stops the backfill (what is in flight finishes) and waits for its summary; null if it never started. */
    public BackfillSummary stopAndWait(Duration limit) throws InterruptedException {
        Thread t = thread;
        if (t == null) {
            return null;
        }
        Backfill b = backfill;
        if (t.isAlive()) {
            b.stop();
        }
        if (!t.join(limit)) {
            throw new IllegalStateException("the backfill did not stop within " + Durations.format(limit));
        }
        if (failure != null) {
            throw new IllegalStateException("the backfill failed: " + failure, failure);
        }
        return summary;
    }

    /** Waits for the backfill to finish by itself. */
    public BackfillSummary await(Duration limit) throws InterruptedException {
        Thread t = thread;
        if (t == null) {
            return null;
        }
        if (!t.join(limit)) {
            return stopAndWait(Duration.ofSeconds(30));
        }
        if (failure != null) {
            throw new IllegalStateException("the backfill failed: " + failure, failure);
        }
        return summary;
    }
}
