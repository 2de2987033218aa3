package io.photopipe.worker.process;

import io.photopipe.core.MessageAttributes;
import io.photopipe.core.ReasonCodes;
import io.photopipe.worker.messages.MessageParser;
import io.photopipe.worker.messages.ParsedMessage;
import io.photopipe.worker.messages.PhotoEvent;
import io.photopipe.worker.observe.MemoryUsage;
import io.photopipe.worker.observe.OutcomeLog;
import io.photopipe.worker.observe.WorkerMetrics;
import io.photopipe.worker.ports.DeadLetterQueue;
import io.photopipe.worker.ports.SourceQueue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Processes one batch of SQS messages and says which ones failed. Plain Java: the Lambda handler is a thin adapter
 * over it.
 *
 * <ol>
 *   <li>If renders abandoned at an earlier deadline are still running in this environment after a short grace, the
 *       batch is not processed: every message comes back ({@value ReasonCodes#ENVIRONMENT_RECYCLED}) and the result
 *       asks the handler to recycle the environment ({@link Result#recycle()}).</li>
 *   <li>Every message is parsed into photo events ({@link MessageParser}).</li>
 *   <li>Events are de-duplicated across the batch by (kind, bucket, key, ETag): duplicates are processed once, and
 *       all their messages share that one outcome (they succeed or fail together).</li>
 *   <li>Events about the same object run one after another (so a delete and an upload of one key cannot race);
 *       different objects run in parallel on virtual threads, at most {@code concurrency} at a time, those closest
 *       to the DLQ (highest receive count) first. A photo is not started when less than the safety margin is left
 *       before the deadline.</li>
 *   <li>The batch waits until the deadline minus the finish margin; a photo not finished then is a
 *       {@link Outcome.Retry}: {@code timed-out} when its render had started (its attempt record says so, and it is
 *       registered as abandoned work), {@code deadline} when it had not.</li>
 *   <li>The {@link Settlement}: on a message's last delivery a retry becomes a move to the DLQ with the reason;
 *       rejected messages are copied to the DLQ and then acknowledged (never without a confirmed copy); failed
 *       messages get a visibility timeout that grows with their receive count.</li>
 * </ol>
 * Parallel work returns values (futures); nothing is appended to shared lists.
 */
public final class BatchProcessor {
    private static final Logger LOG = LoggerFactory.getLogger(BatchProcessor.class);

    /**
     * How a batch runs.
     *
     * @param concurrency     photos processed at once (shared by overlapping invocations, so abandoned work counts)
     * @param safetyMargin    no photo is started with less than this left before the deadline
     * @param finishMargin    time kept after waiting for photos, for DLQ moves, visibility changes and the answer
     * @param retryBase       visibility of a failed message on its first delivery; doubles with each receive
     * @param retryMax        the longest visibility backoff
     * @param circuitOpen     how long an open circuit breaker fails fast: circuit-open retries wait at least this
     * @param maxReceiveCount the queue's {@code maxReceiveCount} as configured (the queue's own redrive policy wins
     *                        when it can be read)
     * @param abandonedGrace  how long a batch waits for abandoned renders to end before recycling the environment
     * @param environment     this environment's name in attempt records
     */
    public record Settings(int concurrency, Duration safetyMargin, Duration finishMargin, Duration retryBase,
                           Duration retryMax, Duration circuitOpen, int maxReceiveCount, Duration abandonedGrace,
                           String environment) {
        public Settings {
            if (concurrency < 1) {
                throw new IllegalArgumentException("concurrency must be at least 1, was " + concurrency);
            }
            if (maxReceiveCount < 1) {
                throw new IllegalArgumentException("maxReceiveCount must be at least 1, was " + maxReceiveCount);
            }
            Objects.requireNonNull(safetyMargin, "safetyMargin");
            Objects.requireNonNull(finishMargin, "finishMargin");
            Objects.requireNonNull(retryBase, "retryBase");
            Objects.requireNonNull(retryMax, "retryMax");
            Objects.requireNonNull(circuitOpen, "circuitOpen");
            Objects.requireNonNull(abandonedGrace, "abandonedGrace");
            Objects.requireNonNull(environment, "environment");
        }

        /** Settings with the defaults for what tests of concurrency and backoff do not care about. */
        public Settings(int concurrency, Duration safetyMargin, Duration finishMargin, Duration retryBase,
                        Duration retryMax) {
            this(concurrency, safetyMargin, finishMargin, retryBase, retryMax, Duration.ofSeconds(30), 5,
                    Duration.ZERO, "test");
        }
    }

    /**
     * A batch's result.
     *
     * @param failedMessageIds messages to report in {@code batchItemFailures}, in batch order
     * @param outcomes         every message's final outcome by message id, in batch order
     * @param recycle          the environment must be replaced: abandoned work is still running in it (the messages
     *                         were settled for an invocation that will not answer: moved ones deleted, the rest made
     *                         visible again)
     */
    public record Result(List<String> failedMessageIds, Map<String, Outcome> outcomes, boolean recycle) {
    }

    private final Settings settings;
    private final MessageParser parser;
    private final PhotoProcessor photos;
    private final SourceQueue queue;
    private final WorkerMetrics metrics;
    private final OutcomeLog log;
    private final Semaphore permits;
    private final AbandonedWork abandoned = new AbandonedWork();
    private final Set<String> warnedQueues = ConcurrentHashMap.newKeySet();
    private final ExecutorService threads = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("photopipe-photo-", 0).factory());
    private final Settlement settlement;

    public BatchProcessor(Settings settings, MessageParser parser, PhotoProcessor photos, DeadLetterQueue dlq,
                          SourceQueue queue, WorkerMetrics metrics, OutcomeLog log) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.parser = Objects.requireNonNull(parser, "parser");
        this.photos = Objects.requireNonNull(photos, "photos");
        this.queue = Objects.requireNonNull(queue, "queue");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.log = Objects.requireNonNull(log, "log");
        this.permits = new Semaphore(settings.concurrency());
        this.settlement = new Settlement(settings, photos, Objects.requireNonNull(dlq, "dlq"), queue, metrics,
                threads);
    }

    /** The environment's register of renders abandoned at a deadline and still running. */
    public AbandonedWork abandoned() {
        return abandoned;
    }

    private record PhotoId(PhotoEvent.Kind kind, String bucket, String key, String eTag) {
        static PhotoId of(PhotoEvent e) {
            return new PhotoId(e.kind(), e.bucket(), e.key(), e.eTag());
        }
    }

    private record ObjectId(String bucket, String key) {
    }

    /** The outcome of one photo job and how long it took. */
    private record Timed(Outcome outcome, Duration duration) {
    }

    /** One unique photo event of the batch: run once, its outcome shared by all messages that carried it. */
    private static final class Job {
        final PhotoEvent event;
        final Delivery delivery;
        final CompletableFuture<Timed> result = new CompletableFuture<>();

        Job(PhotoEvent event, Delivery delivery) {
            this.event = event;
            this.delivery = delivery;
        }
    }

    /** Processes a batch. Never throws for a message's sake: every message gets an outcome. */
    public Result process(List<QueueMessage> messages, Deadline deadline) {
        long start = System.nanoTime();
        int maxReceiveCount = maxReceiveCount(messages);
        if (!messages.isEmpty() && !abandoned.awaitNone(grace(deadline))) {
            return recycle(messages, deadline, maxReceiveCount, start);
        }
        List<ParsedMessage> parsed = messages.stream()
                .map(m -> parser.parse(m.body(), MessageParser.isForce(m.messageAttributes().get(MessageAttributes.FORCE))))
                .toList();
        Map<PhotoId, Job> jobs = jobs(messages, parsed, maxReceiveCount, deadline);
        List<Future<?>> abandonWrites = runAll(jobs.values(), deadline);

        List<Settlement.Item> items = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            items.add(decide(messages.get(i), parsed.get(i), jobs, maxReceiveCount));
        }
        settlement.await(abandonWrites, deadline);
        items = settlement.settle(items, deadline, false);
        return finish(items, parsed, start, false);
    }

    private Duration grace(Deadline deadline) {
        Duration left = deadline.remaining().minus(settings.finishMargin()).minus(settings.safetyMargin());
        return left.compareTo(settings.abandonedGrace()) < 0 ? (left.isNegative() ? Duration.ZERO : left)
                : settings.abandonedGrace();
    }

    /**
     * Abandoned renders are still running after the grace: this environment's CPU and memory are not its own. No
     * message is started; they all come back at once for another environment (those on their last delivery go to
     * the DLQ with {@code retries-exhausted:environment-recycled}), and the handler ends the environment.
     */
    private Result recycle(List<QueueMessage> messages, Deadline deadline, int maxReceiveCount, long start) {
        String why = abandoned.count() + " render(s) abandoned at an earlier deadline (since "
                + abandoned.oldest().map(String::valueOf).orElse("?") + ": " + abandoned.what() + ") are still "
                + "running in this environment; it is replaced and this message is tried again elsewhere";
        LOG.error("recycling the execution environment: {}", why);
        List<ParsedMessage> parsed = messages.stream()
                .map(m -> parser.parse(m.body(), false)).toList();
        List<Settlement.Item> items = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            List<Settlement.Photo> photosOf = new ArrayList<>();
            if (parsed.get(i) instanceof ParsedMessage.Photos p) {
                QueueMessage m = messages.get(i);
                for (PhotoEvent e : p.events()) {
                    photosOf.add(new Settlement.Photo(e, new Delivery(List.of(new Delivery.Message(m.messageId(),
                            m.receiveCount())), maxReceiveCount, deadline.at(), settings.environment()),
                            new Outcome.Retry(ReasonCodes.ENVIRONMENT_RECYCLED, why, false)));
                }
            }
            items.add(new Settlement.Item(messages.get(i), new Outcome.Retry(ReasonCodes.ENVIRONMENT_RECYCLED, why,
                    false), photosOf.isEmpty() ? null : photosOf.getFirst().event(), photosOf, Duration.ZERO,
                    maxReceiveCount, null));
        }
        items = settlement.settle(items, deadline, true);
        return finish(items, parsed, start, true);
    }

    private Result finish(List<Settlement.Item> items, List<ParsedMessage> parsed, long start, boolean recycle) {
        List<String> failed = new ArrayList<>();
        Map<String, Outcome> byId = new LinkedHashMap<>();
        for (int i = 0; i < items.size(); i++) {
            Settlement.Item it = items.get(i);
            byId.put(it.message().messageId(), it.outcome());
            if (it.outcome() instanceof Outcome.Retry) {
                failed.add(it.message().messageId());
            }
            ParsedMessage p = parsed.get(i);
            int photoCount = p instanceof ParsedMessage.Photos ph ? ph.events().size() : 0;
            String shape = p instanceof ParsedMessage.Photos ph ? ph.shape() : null;
            log.message(it.message(), it.outcome(), it.decisive(), photoCount, shape, it.took(), it.dlqMessageId());
            metrics.message(it.outcome(), it.took());
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        metrics.batch(items.size(), took);
        MemoryUsage memory = MemoryUsage.now();
        metrics.memory(memory);
        if (recycle) {
            metrics.recycled();
        }
        log.batch(byId.values(), took, abandoned.count(), recycle, memory);
        return new Result(List.copyOf(failed), byId, recycle);
    }

    /**
     * The {@code maxReceiveCount} of this batch's queue: its redrive policy, read once per environment as a
     * cross-check of the configured value (SQS enforces the queue's, so it wins; a difference is logged once). A
     * queue without a redrive policy, or one that cannot be read, gets the configured value, which the worker then
     * enforces itself.
     */
    private int maxReceiveCount(List<QueueMessage> messages) {
        int max = settings.maxReceiveCount();
        Set<String> arns = new LinkedHashSet<>();
        messages.forEach(m -> {
            if (m.eventSourceArn() != null) {
                arns.add(m.eventSourceArn());
            }
        });
        int effective = Integer.MAX_VALUE;
        for (String arn : arns) {
            OptionalInt q = queue.maxReceiveCount(arn);
            if (q.isPresent() && q.getAsInt() != max && warnedQueues.add(arn)) {
                LOG.warn("the redrive policy of {} has maxReceiveCount {}, not the configured {} ({}): using the "
                        + "queue's", arn, q.getAsInt(), max, io.photopipe.core.FunctionEnv.MAX_RECEIVE_COUNT);
            }
            effective = Math.min(effective, q.orElse(max));
        }
        return effective == Integer.MAX_VALUE ? max : effective;
    }

    private Map<PhotoId, Job> jobs(List<QueueMessage> messages, List<ParsedMessage> parsed, int maxReceiveCount,
                                   Deadline deadline) {
        Map<PhotoId, PhotoEvent> events = new LinkedHashMap<>();
        Map<PhotoId, Map<String, Delivery.Message>> carriers = new LinkedHashMap<>();
        for (int i = 0; i < messages.size(); i++) {
            if (parsed.get(i) instanceof ParsedMessage.Photos p) {
                QueueMessage m = messages.get(i);
                for (PhotoEvent e : p.events()) {
                    PhotoId id = PhotoId.of(e);
                    // A duplicate that asks for a rebuild makes the one job a rebuild.
                    events.merge(id, e, (a, b) -> a.force() || !b.force() ? a : b);
                    carriers.computeIfAbsent(id, k -> new LinkedHashMap<>())
                            .putIfAbsent(m.messageId(), new Delivery.Message(m.messageId(), m.receiveCount()));
                }
            }
        }
        Map<PhotoId, Job> jobs = new LinkedHashMap<>();
        events.forEach((id, e) -> jobs.put(id, new Job(e, new Delivery(List.copyOf(carriers.get(id).values()),
                maxReceiveCount, deadline.at(), settings.environment()))));
        return jobs;
    }

    /** Runs the jobs; returns the writes that record renders abandoned at the deadline as timed out. */
    private List<Future<?>> runAll(Collection<Job> jobs, Deadline deadline) {
        Map<ObjectId, List<Job>> chains = new LinkedHashMap<>();
        for (Job j : jobs) {
            chains.computeIfAbsent(new ObjectId(j.event.bucket(), j.event.key()), k -> new ArrayList<>()).add(j);
        }
        // Closest to the DLQ first: on a busy invocation the deadline then leaves behind the messages that can best
        // afford another delivery.
        List<List<Job>> ordered = chains.values().stream()
                .sorted(Comparator.comparingInt((List<Job> c) -> c.stream()
                        .mapToInt(j -> j.delivery.receiveCount()).max().orElse(0)).reversed())
                .toList();
        List<Future<?>> running = new ArrayList<>(ordered.size());
        List<CompletableFuture<Void>> ended = new ArrayList<>(ordered.size());
        for (List<Job> chain : ordered) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            ended.add(done);
            running.add(threads.submit(() -> {
                try {
                    runChain(chain, deadline);
                } finally {
                    done.complete(null);
                }
            }));
        }
        List<Future<?>> abandonWrites = new ArrayList<>();
        for (Job j : jobs) {
            long waitNanos = deadline.remaining().minus(settings.finishMargin()).toNanos();
            try {
                j.result.get(Math.max(0, waitNanos), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                if (j.delivery.started()) {
                    if (j.result.complete(new Timed(new Outcome.Retry(ReasonCodes.TIMED_OUT, "still being processed "
                            + "at the function's deadline: abandoned (recorded as timed-out; the environment is "
                            + "replaced if the render is still running at its next invocation)", true),
                            Duration.ZERO))) {
                        abandonWrites.add(threads.submit(() -> photos.abandoned(j.event, j.delivery)));
                    }
                } else {
                    j.delivery.abandon();
                    j.result.complete(new Timed(new Outcome.Retry("deadline", "not finished before the function's "
                            + "deadline; it will be delivered again", false), Duration.ZERO));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                j.result.complete(new Timed(new Outcome.Retry("interrupted", "the worker was interrupted", false),
                        Duration.ZERO));
            } catch (ExecutionException e) {
                j.result.complete(new Timed(new Outcome.Retry("internal-error", "unexpected " + e.getCause(), true),
                        Duration.ZERO));
            }
        }
        for (int i = 0; i < running.size(); i++) {
            if (!ended.get(i).isDone()) {
                // Interrupted; CPU-bound decoding and native code may not notice. Outputs that still land are
                // idempotent, and the next invocation checks whether the work is still running.
                running.get(i).cancel(true);
                List<Job> chain = ordered.get(i);
                abandoned.add(chain.getFirst().event.object(), ended.get(i));
            }
        }
        return abandonWrites;
    }

    private void runChain(List<Job> chain, Deadline deadline) {
        for (Job job : chain) {
            if (job.result.isDone()) {
                return; // given up on at the deadline
            }
            Duration left = deadline.remaining().minus(settings.safetyMargin());
            boolean acquired = false;
            try {
                acquired = !left.isNegative() && permits.tryAcquire(left.toNanos(), TimeUnit.NANOSECONDS);
                if (!acquired || deadline.within(settings.safetyMargin())) {
                    job.delivery.abandon();
                    job.result.complete(new Timed(new Outcome.Retry("deadline", "not started: less than the "
                            + "safety margin (" + settings.safetyMargin().toMillis() + " ms) was left before the "
                            + "function's deadline", false), Duration.ZERO));
                    continue;
                }
                long t0 = System.nanoTime();
                Outcome o = photos.process(job.event, job.delivery);
                Duration took = Duration.ofNanos(System.nanoTime() - t0);
                if (job.result.complete(new Timed(o, took))) {
                    metrics.photo(o, took);
                }
            } catch (InterruptedException e) {
                job.result.complete(new Timed(new Outcome.Retry("deadline", "interrupted at the function's deadline",
                        false), Duration.ZERO));
                return;
            } catch (RuntimeException | Error e) {
                // PhotoProcessor classifies everything; this is the last line, so no job is left without an outcome
                // (which would make the batch wait for the deadline) and the rest of the chain still runs.
                LOG.error("unexpected failure running {}", job.event.object(), e);
                job.result.complete(new Timed(new Outcome.Retry("internal-error", "unexpected " + e, true),
                        Duration.ZERO));
            } finally {
                if (acquired) {
                    permits.release();
                }
            }
        }
    }

    private Settlement.Item decide(QueueMessage m, ParsedMessage parsed, Map<PhotoId, Job> jobs, int max) {
        return switch (parsed) {
            case ParsedMessage.Malformed bad -> new Settlement.Item(m, new Outcome.Rejected(
                    ParsedMessage.Malformed.CODE, bad.reason()), null, List.of(), Duration.ZERO, max, null);
            case ParsedMessage.Ignored i -> new Settlement.Item(m, new Outcome.Skipped(i.code(), i.reason()), null,
                    List.of(), Duration.ZERO, max, null);
            case ParsedMessage.Photos p -> {
                Outcome worst = null;
                PhotoEvent worstEvent = null;
                Work work = Work.NONE;
                Duration longest = Duration.ZERO;
                List<Settlement.Photo> photosOf = new ArrayList<>();
                for (PhotoEvent e : p.events()) {
                    Job job = jobs.get(PhotoId.of(e));
                    Timed t = job.result.join();
                    photosOf.add(new Settlement.Photo(e, job.delivery, t.outcome()));
                    work = work.plus(t.outcome().work());
                    longest = t.duration().compareTo(longest) > 0 ? t.duration() : longest;
                    if (worst == null || t.outcome().severity() > worst.severity()) {
                        worst = t.outcome();
                        worstEvent = e;
                    }
                }
                if (p.events().size() > 1 && worst instanceof Outcome.Done d) {
                    worst = new Outcome.Done(d.code(), d.reason() + " (and " + (p.events().size() - 1)
                            + " more objects in this message)", work);
                }
                yield new Settlement.Item(m, worst, worstEvent, photosOf, longest, max, null);
            }
        };
    }
}
