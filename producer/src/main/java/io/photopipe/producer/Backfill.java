package io.photopipe.producer;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.photopipe.core.MessageAttributes;
import io.photopipe.core.S3EventMessages;
import io.photopipe.producer.internal.Prefetch;
import io.photopipe.producer.internal.Progress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * Re-processes a library: reads objects from a {@link KeySource}, keeps those the {@link ObjectFilter} selects, and
 * sends one re-process message per object (the worker's S3 notification shape, see
 * {@link S3EventMessages#reprocess}) in batches of up to 10, many batches in flight, at a bounded rate, recording
 * progress in a {@link Checkpoint} after every acknowledged batch.
 *
 * <p>One thread reads the source and forms batches in source order; each batch is sent on its own virtual thread
 * once a slot ({@code maxInFlight}) and rate permits are free. {@link #stop()} (Ctrl-C) stops forming batches, lets
 * the ones in flight finish and writes the checkpoint: a resume then sends nothing twice.
 */
public final class Backfill {
    /**
     * How to run.
     *
     * @param queueUrl    where messages go
     * @param region      the region written into messages
     * @param force       set the {@link MessageAttributes#FORCE} attribute: the worker rebuilds existing outputs
     * @param maxInFlight SendMessageBatch calls in flight at once
     * @param rate        messages per second; 0 for no limit
     * @param checkpoint  the checkpoint file; null for none (then a stopped run cannot resume)
     * @param resumeFrom  the checkpoint to continue from; null for a fresh run
     * @param dryRun      count and show keys, send nothing
     * @param showKeys    how many matching keys a dry run shows
     */
    public record Options(String queueUrl, String region, boolean force, int maxInFlight, double rate,
                          Path checkpoint, Checkpoint resumeFrom, boolean dryRun, int showKeys) {
        public Options {
            Objects.requireNonNull(queueUrl, "queueUrl");
            Objects.requireNonNull(region, "region");
            if (maxInFlight < 1) {
                throw ProducerException.usage("--max-in-flight " + maxInFlight + " must be at least 1");
            }
            if (rate < 0) {
                throw ProducerException.usage("--rate " + rate + " must not be negative (0 = no limit)");
            }
        }
    }

    /** Hooks for tests and progress displays. */
    public interface Listener {
        /** Called after SQS accepted batch {@code seq} and before it is recorded in the checkpoint. */
        default void batchSent(long seq, Backfill backfill) {
        }
    }

    private static final int MAX_FAILURES_KEPT = 1000;
    /** How often the snapshot is rewritten; between rewrites, acknowledgements are appended to the journal. */
    private static final long COMPACT_EVERY_NANOS = 2_000_000_000L;

    private final KeySource source;
    private final ObjectFilter filter;
    private final BatchSender sender;
    private final Options options;
    private final Progress progress;
    private final Listener listener;
    private final RateLimiter rateLimiter;

    private volatile boolean stopping;
    private volatile boolean aborted;
    private final Object lock = new Object();
    private final AtomicReference<Throwable> fatal = new AtomicReference<>();

    // guarded by lock
    private AckTracker tracker;
    private CheckpointJournal journal;
    private long lastCompaction;
    private long sent;
    private long failed;
    private long retried;
    private final List<SendResult.Failure> failures = new ArrayList<>();

    public Backfill(KeySource source, ObjectFilter filter, BatchSender sender, Options options, Progress progress,
                    Listener listener) {
        this.source = Objects.requireNonNull(source, "source");
        this.filter = Objects.requireNonNull(filter, "filter");
        this.sender = Objects.requireNonNull(sender, "sender");
        this.options = Objects.requireNonNull(options, "options");
        this.progress = progress == null ? Progress.none() : progress;
        this.listener = listener == null ? new Listener() { } : listener;
        this.rateLimiter = options.rate() > 0 ? Rates.limiter("backfill", options.rate()) : null;
    }

    /** Stops forming batches; those in flight finish and are recorded. Safe from any thread (a shutdown hook). */
    public void stop() {
        stopping = true;
    }

    /**
     * Stops at once and records nothing more, as a crash would: batches in flight may still reach the queue without
     * being checkpointed. For tests of resume after a crash.
     */
    public void abort() {
        aborted = true;
        stopping = true;
    }

    /**
     * Runs to the end of the source, or until stopped.
     *
     * @throws ProducerException or an SDK exception when the queue or source cannot be used at all
     */
    public BackfillSummary run() throws InterruptedException {
        Instant start = Instant.now();
        Checkpoint resume = options.resumeFrom();
        String after = resume == null ? null : resume.after();
        if (options.dryRun()) {
            return dryRun(after, resume, start);
        }
        synchronized (lock) {
            tracker = new AckTracker(after, resume == null ? List.of() : resume.done());
            if (options.checkpoint() != null) {
                journal = CheckpointJournal.start(options.checkpoint(), state(false));
                lastCompaction = System.nanoTime();
            }
        }
        java.util.function.Predicate<String> done = resume == null ? c -> false : resume.doneTest();
        long listed = 0;
        long matched = 0;
        long matchedBytes = 0;
        long filteredOut = 0;
        long alreadyDone = 0;
        long batches = 0;
        Semaphore slots = new Semaphore(options.maxInFlight());
        Map<String, MessageAttributeValue> attributes = options.force()
                ? Map.of(MessageAttributes.FORCE, MessageAttributeValue.builder().dataType("String").stringValue("true")
                .build()) : Map.of();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
             Prefetch<ObjectRef> it = new Prefetch<>(source.open(after), 5_000)) {
            List<ObjectRef> batch = new ArrayList<>(BatchSender.MAX_ENTRIES);
            List<OutgoingMessage> messages = new ArrayList<>(BatchSender.MAX_ENTRIES);
            long batchBytes = 0;
            while (!stopping && fatal.get() == null) {
                if (Thread.currentThread().isInterrupted()) {
                    stopping = true;
                    break;
                }
                boolean more;
                try {
                    more = it.hasNext();
                } catch (IllegalStateException e) {
                    if (Thread.currentThread().isInterrupted()) {
                        stopping = true;
                        break;
                    }
                    throw e;
                }
                ObjectRef o = more ? it.next() : null;
                OutgoingMessage m = null;
                if (o != null) {
                    listed++;
                    if (!filter.test(o)) {
                        filteredOut++;
                        continue;
                    }
                    if (done.test(o.cursor())) {
                        alreadyDone++;
                        continue;
                    }
                    matched++;
                    matchedBytes += o.size();
                    m = new OutgoingMessage(o.key(), S3EventMessages.reprocess(options.region(), o.bucket(), o.key(),
                            o.size(), o.eTag()), attributes);
                }
                boolean full = m != null && (batch.size() == BatchSender.MAX_ENTRIES
                        || !batch.isEmpty() && batchBytes + m.payloadBytes() > sender.maxBatchBytes());
                if ((full || o == null) && !batch.isEmpty()) {
                    if (!dispatch(pool, slots, batches++, List.copyOf(batch), List.copyOf(messages))) {
                        break;
                    }
                    batch.clear();
                    messages.clear();
                    batchBytes = 0;
                }
                if (o == null) {
                    break;
                }
                batch.add(o);
                messages.add(m);
                batchBytes += m.payloadBytes();
            }
            slots.acquire(options.maxInFlight()); // every batch in flight has finished
        }
        Throwable t = fatal.get();
        if (t != null) {
            if (t instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(t);
        }
        boolean finished = !stopping;
        Checkpoint last = null;
        synchronized (lock) {
            if (!aborted) {
                last = state(finished);
                if (journal != null) {
                    journal.compact(last, true);
                }
            }
            if (journal != null) {
                journal.close();
            }
        }
        Duration elapsed = Duration.between(start, Instant.now());
        synchronized (lock) {
            long prevSent = resume == null ? 0 : resume.sent();
            long prevFailed = resume == null ? 0 : resume.failed();
            return new BackfillSummary(aborted ? "aborted" : finished ? "finished" : "stopped", source.describe(),
                    options.queueUrl(), listed, matched, matchedBytes, filteredOut, alreadyDone, sent, failed,
                    batches, retried, last != null ? last.sent() : prevSent + sent,
                    last != null ? last.failed() : prevFailed + failed,
                    List.copyOf(failures.subList(0, Math.min(50, failures.size()))), List.of(), elapsed,
                    rate(sent, elapsed), options.checkpoint() == null ? null : options.checkpoint().toString());
        }
    }

    /** Sends one batch on a virtual thread once a slot and rate permits are free; false if the run must stop. */
    private boolean dispatch(ExecutorService pool, Semaphore slots, long seq, List<ObjectRef> batch,
                             List<OutgoingMessage> messages) throws InterruptedException {
        slots.acquire();
        if (stopping || fatal.get() != null) {
            slots.release();
            return false;
        }
        if (rateLimiter != null) {
            Rates.acquire(rateLimiter, messages.size());
        }
        pool.submit(() -> {
            try {
                SendResult result = sender.send(options.queueUrl(), messages);
                listener.batchSent(seq, this);
                if (aborted) {
                    return;
                }
                acknowledge(seq, batch, result);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stopping = true; // not acknowledged: a resume sends this batch again
            } catch (Throwable e) {
                fatal.compareAndSet(null, e);
            } finally {
                slots.release();
            }
        });
        return true;
    }

    private void acknowledge(long seq, List<ObjectRef> batch, SendResult result) {
        synchronized (lock) {
            sent += result.sent().size();
            failed += result.failed().size();
            retried += result.retriedEntries();
            List<SendResult.Failure> kept = new ArrayList<>();
            for (SendResult.Failure f : result.failed()) {
                if (failures.size() < MAX_FAILURES_KEPT) {
                    failures.add(f);
                    kept.add(f);
                }
            }
            Checkpoint.Range range = new Checkpoint.Range(batch.getFirst().cursor(), batch.getLast().cursor());
            tracker.acknowledge(seq, range);
            if (journal != null) {
                journal.append(range, result.sent().size(), result.failed().size(), kept);
                if (System.nanoTime() - lastCompaction > COMPACT_EVERY_NANOS) {
                    journal.compact(state(false), false);
                    lastCompaction = System.nanoTime();
                }
            }
        }
        progress.step(batch.size());
        if (!result.failed().isEmpty()) {
            progress.message(failed + " failed");
        }
    }

    /** The checkpoint of everything acknowledged so far. */
    private Checkpoint state(boolean finished) {
        synchronized (lock) {
            Checkpoint resume = options.resumeFrom();
            List<SendResult.Failure> all = new ArrayList<>(resume == null ? List.of() : resume.failures());
            for (SendResult.Failure f : failures) {
                if (all.size() >= MAX_FAILURES_KEPT) {
                    break;
                }
                all.add(f);
            }
            Checkpoint c = new Checkpoint(1, source.describe(), options.queueUrl(), tracker.after(),
                    finished ? List.of() : tracker.done(), (resume == null ? 0 : resume.sent()) + sent,
                    (resume == null ? 0 : resume.failed()) + failed, all, finished, Instant.now(),
                    resume == null ? 0 : resume.generation());
            return c;
        }
    }

    private BackfillSummary dryRun(String after, Checkpoint resume, Instant start) {
        long listed = 0;
        long matched = 0;
        long bytes = 0;
        long filteredOut = 0;
        long alreadyDone = 0;
        List<String> first = new ArrayList<>();
        java.util.function.Predicate<String> done = resume == null ? c -> false : resume.doneTest();
        Iterator<ObjectRef> it = source.open(after);
        while (it.hasNext() && !stopping) {
            ObjectRef o = it.next();
            listed++;
            if (!filter.test(o)) {
                filteredOut++;
            } else if (done.test(o.cursor())) {
                alreadyDone++;
            } else {
                matched++;
                bytes += o.size();
                if (first.size() < options.showKeys()) {
                    first.add(o.key());
                }
                progress.step(1);
            }
        }
        Duration elapsed = Duration.between(start, Instant.now());
        return new BackfillSummary("dry-run", source.describe(), options.queueUrl(), listed, matched, bytes,
                filteredOut, alreadyDone, 0, 0, (matched + BatchSender.MAX_ENTRIES - 1) / BatchSender.MAX_ENTRIES, 0,
                resume == null ? 0 : resume.sent(), resume == null ? 0 : resume.failed(), List.of(), first, elapsed, 0,
                null);
    }

    /**
     * Counts the objects a run will send (for the progress bar's total and ETA), on its own thread, beside the run.
     * Listing is about a hundred times cheaper than sending (1,000 keys per call against 10 messages).
     */
    public static Thread countInBackground(KeySource source, ObjectFilter filter, Checkpoint resume, Progress progress) {
        AtomicLong count = new AtomicLong();
        return Thread.ofVirtual().name("backfill-count").start(() -> {
            try {
                java.util.function.Predicate<String> done = resume == null ? c -> false : resume.doneTest();
                Iterator<ObjectRef> it = source.open(resume == null ? null : resume.after());
                while (it.hasNext() && !Thread.currentThread().isInterrupted()) {
                    ObjectRef o = it.next();
                    if (filter.test(o) && !done.test(o.cursor())
                            && count.incrementAndGet() % 1000 == 0) {
                        progress.maxHint(count.get());
                    }
                }
                if (!Thread.currentThread().isInterrupted()) {
                    progress.maxHint(count.get());
                }
            } catch (RuntimeException e) {
                // the count only feeds the ETA; the run itself reports listing errors
            }
        });
    }

    static double rate(long n, Duration d) {
        return d.toNanos() == 0 ? 0 : n * 1e9 / d.toNanos();
    }
}
