package io.photopipe.worker.process;

import io.photopipe.core.MessageAttributes;
import io.photopipe.worker.messages.MessageParser;
import io.photopipe.worker.messages.ParsedMessage;
import io.photopipe.worker.messages.PhotoEvent;
import io.photopipe.worker.observe.OutcomeLog;
import io.photopipe.worker.observe.WorkerMetrics;
import io.photopipe.worker.ports.DeadLetterQueue;
import io.photopipe.worker.ports.PortException;
import io.photopipe.worker.ports.VisibilityControl;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Processes one batch of SQS messages and says which ones failed. Plain Java: the Lambda handler is a thin adapter
 * over it.
 *
 * <ol>
 *   <li>Every message is parsed into photo events ({@link MessageParser}).</li>
 *   <li>Events are de-duplicated across the batch by (kind, bucket, key, ETag): duplicates are processed once, and
 *       all their messages share that one outcome (they succeed or fail together).</li>
 *   <li>Events about the same object run one after another (so a delete and an upload of one key cannot race);
 *       different objects run in parallel on virtual threads, at most {@code concurrency} at a time. A photo is not
 *       started when less than the safety margin is left before the deadline.</li>
 *   <li>The batch waits until the deadline minus the finish margin; whatever has not finished then is a
 *       {@link Outcome.Retry} ({@code deadline}).</li>
 *   <li>Messages whose outcome is {@link Outcome.Rejected} are copied to the DLQ with the reason and then
 *       acknowledged; if the copy fails they are reported as failed instead (never acknowledged without a copy).</li>
 *   <li>Failed messages get a visibility timeout that grows with their receive count.</li>
 * </ol>
 * Parallel work returns values (futures); nothing is appended to shared lists.
 */
public final class BatchProcessor {

    /**
     * How a batch runs.
     *
     * @param concurrency   photos processed at once (shared by overlapping invocations, so abandoned work counts)
     * @param safetyMargin  no photo is started with less than this left before the deadline
     * @param finishMargin  time kept after waiting for photos, for DLQ moves, visibility changes and the answer
     * @param retryBase     visibility of a failed message on its first delivery; doubles with each receive
     * @param retryMax      the longest visibility backoff
     */
    public record Settings(int concurrency, Duration safetyMargin, Duration finishMargin, Duration retryBase,
                           Duration retryMax) {
        public Settings {
            if (concurrency < 1) {
                throw new IllegalArgumentException("concurrency must be at least 1, was " + concurrency);
            }
            Objects.requireNonNull(safetyMargin, "safetyMargin");
            Objects.requireNonNull(finishMargin, "finishMargin");
            Objects.requireNonNull(retryBase, "retryBase");
            Objects.requireNonNull(retryMax, "retryMax");
        }
    }

    /**
     * A batch's result.
     *
     * @param failedMessageIds messages to report in {@code batchItemFailures}, in batch order
     * @param outcomes         every message's final outcome by message id, in batch order
     */
    public record Result(List<String> failedMessageIds, Map<String, Outcome> outcomes) {
    }

    /** Longest visibility SQS allows (12 hours). */
    static final int MAX_VISIBILITY_SECONDS = 43_200;
    private static final int MAX_REASON_CHARS = 1000;

    private final Settings settings;
    private final MessageParser parser;
    private final PhotoProcessor photos;
    private final DeadLetterQueue dlq;
    private final VisibilityControl visibility;
    private final WorkerMetrics metrics;
    private final OutcomeLog log;
    private final Semaphore permits;
    private final ExecutorService threads = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("photopipe-photo-", 0).factory());

    public BatchProcessor(Settings settings, MessageParser parser, PhotoProcessor photos, DeadLetterQueue dlq,
                          VisibilityControl visibility, WorkerMetrics metrics, OutcomeLog log) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.parser = Objects.requireNonNull(parser, "parser");
        this.photos = Objects.requireNonNull(photos, "photos");
        this.dlq = Objects.requireNonNull(dlq, "dlq");
        this.visibility = Objects.requireNonNull(visibility, "visibility");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.log = Objects.requireNonNull(log, "log");
        this.permits = new Semaphore(settings.concurrency());
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
        final int receiveCount;
        final CompletableFuture<Timed> result = new CompletableFuture<>();

        Job(PhotoEvent event, int receiveCount) {
            this.event = event;
            this.receiveCount = receiveCount;
        }
    }

    /** Processes a batch. Never throws for a message's sake: every message gets an outcome. */
    public Result process(List<QueueMessage> messages, Deadline deadline) {
        long start = System.nanoTime();
        List<ParsedMessage> parsed = messages.stream()
                .map(m -> parser.parse(m.body(), MessageParser.isForce(m.messageAttributes().get(MessageAttributes.FORCE))))
                .toList();
        Map<PhotoId, Job> jobs = jobs(messages, parsed);
        runAll(jobs.values(), deadline);

        List<Outcome> outcomes = new ArrayList<>(messages.size());
        List<PhotoEvent> decisive = new ArrayList<>(messages.size());
        List<Duration> durations = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            Decided d = decide(parsed.get(i), jobs);
            outcomes.add(d.outcome);
            decisive.add(d.event);
            durations.add(d.duration);
        }
        outcomes = moveRejectedToDlq(messages, decisive, outcomes, deadline);
        changeVisibility(messages, outcomes, deadline);

        List<String> failed = new ArrayList<>();
        Map<String, Outcome> byId = new LinkedHashMap<>();
        for (int i = 0; i < messages.size(); i++) {
            QueueMessage m = messages.get(i);
            Outcome o = outcomes.get(i);
            byId.put(m.messageId(), o);
            if (o instanceof Outcome.Retry) {
                failed.add(m.messageId());
            }
            ParsedMessage p = parsed.get(i);
            int photoCount = p instanceof ParsedMessage.Photos ph ? ph.events().size() : 0;
            String shape = p instanceof ParsedMessage.Photos ph ? ph.shape() : null;
            log.message(m, o, decisive.get(i), photoCount, shape, durations.get(i));
            metrics.message(o, durations.get(i));
        }
        metrics.batch(messages.size(), Duration.ofNanos(System.nanoTime() - start));
        return new Result(List.copyOf(failed), byId);
    }

    private Map<PhotoId, Job> jobs(List<QueueMessage> messages, List<ParsedMessage> parsed) {
        Map<PhotoId, PhotoEvent> events = new LinkedHashMap<>();
        Map<PhotoId, Integer> receiveCounts = new LinkedHashMap<>();
        for (int i = 0; i < messages.size(); i++) {
            if (parsed.get(i) instanceof ParsedMessage.Photos p) {
                int rc = messages.get(i).receiveCount();
                for (PhotoEvent e : p.events()) {
                    PhotoId id = PhotoId.of(e);
                    // A duplicate that asks for a rebuild makes the one job a rebuild.
                    events.merge(id, e, (a, b) -> a.force() || !b.force() ? a : b);
                    receiveCounts.merge(id, rc, Math::max);
                }
            }
        }
        Map<PhotoId, Job> jobs = new LinkedHashMap<>();
        events.forEach((id, e) -> jobs.put(id, new Job(e, receiveCounts.get(id))));
        return jobs;
    }

    private void runAll(Collection<Job> jobs, Deadline deadline) {
        Map<ObjectId, List<Job>> chains = new LinkedHashMap<>();
        for (Job j : jobs) {
            chains.computeIfAbsent(new ObjectId(j.event.bucket(), j.event.key()), k -> new ArrayList<>()).add(j);
        }
        List<Future<?>> running = new ArrayList<>(chains.size());
        for (List<Job> chain : chains.values()) {
            running.add(threads.submit(() -> runChain(chain, deadline)));
        }
        for (Job j : jobs) {
            long waitNanos = deadline.remaining().minus(settings.finishMargin()).toNanos();
            try {
                j.result.get(Math.max(0, waitNanos), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                j.result.complete(new Timed(new Outcome.Retry("deadline", "not finished before the function's "
                        + "deadline; it will be delivered again", false), Duration.ZERO));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                j.result.complete(new Timed(new Outcome.Retry("interrupted", "the worker was interrupted", false),
                        Duration.ZERO));
            } catch (ExecutionException e) {
                j.result.complete(new Timed(new Outcome.Retry("internal-error", "unexpected " + e.getCause(), true),
                        Duration.ZERO));
            }
        }
        for (Future<?> f : running) {
            // Photos abandoned at the deadline are interrupted; their outputs are idempotent if they still land.
            f.cancel(true);
        }
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
                    job.result.complete(new Timed(new Outcome.Retry("deadline", "not started: less than the "
                            + "safety margin (" + settings.safetyMargin().toMillis() + " ms) was left before the "
                            + "function's deadline", false), Duration.ZERO));
                    continue;
                }
                long t0 = System.nanoTime();
                Outcome o = photos.process(job.event, job.receiveCount);
                Duration took = Duration.ofNanos(System.nanoTime() - t0);
                if (job.result.complete(new Timed(o, took))) {
                    metrics.photo(o, took);
                }
            } catch (InterruptedException e) {
                job.result.complete(new Timed(new Outcome.Retry("deadline", "interrupted at the function's deadline",
                        false), Duration.ZERO));
                return;
            } finally {
                if (acquired) {
                    permits.release();
                }
            }
        }
    }

    private record Decided(Outcome outcome, PhotoEvent event, Duration duration) {
    }

    private Decided decide(ParsedMessage parsed, Map<PhotoId, Job> jobs) {
        return switch (parsed) {
            case ParsedMessage.Malformed m -> new Decided(new Outcome.Rejected(ParsedMessage.Malformed.CODE,
                    m.reason()), null, Duration.ZERO);
            case ParsedMessage.Ignored i -> new Decided(new Outcome.Skipped(i.code(), i.reason()), null,
                    Duration.ZERO);
            case ParsedMessage.Photos p -> {
                Outcome worst = null;
                PhotoEvent worstEvent = null;
                Work work = Work.NONE;
                Duration longest = Duration.ZERO;
                for (PhotoEvent e : p.events()) {
                    Timed t = jobs.get(PhotoId.of(e)).result.join();
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
                yield new Decided(worst, worstEvent, longest);
            }
        };
    }

    /** Time kept after the last SQS call for the handler to answer. */
    private static final Duration ANSWER_MARGIN = Duration.ofMillis(250);

    private List<Outcome> moveRejectedToDlq(List<QueueMessage> messages, List<PhotoEvent> decisive,
                                            List<Outcome> outcomes, Deadline deadline) {
        List<Future<Outcome>> moved = new ArrayList<>(messages.size());
        String failedAt = Instant.now().toString();
        for (int i = 0; i < messages.size(); i++) {
            Outcome o = outcomes.get(i);
            if (!(o instanceof Outcome.Rejected r)) {
                moved.add(CompletableFuture.completedFuture(o));
                continue;
            }
            QueueMessage m = messages.get(i);
            Map<String, String> attributes = dlqAttributes(m, r, decisive.get(i), failedAt);
            moved.add(threads.submit(() -> {
                try {
                    dlq.send(m.body(), attributes);
                    metrics.dlqMove(true);
                    return r;
                } catch (PortException e) {
                    metrics.dlqMove(false);
                    return new Outcome.Retry("dlq-unavailable", "would go to the DLQ (" + r.code() + ": "
                            + r.reason() + ") but the DLQ copy failed: " + e.getMessage(), true);
                }
            }));
        }
        List<Outcome> result = new ArrayList<>(messages.size());
        for (int i = 0; i < moved.size(); i++) {
            Future<Outcome> f = moved.get(i);
            try {
                result.add(f.get(Math.max(0, deadline.remaining().minus(ANSWER_MARGIN).toNanos()),
                        TimeUnit.NANOSECONDS));
            } catch (TimeoutException e) {
                // Not acknowledged without a confirmed copy. If the send still lands, the redelivery is rejected
                // again and copied again: a duplicate in the DLQ, never a loss.
                Outcome.Rejected r = (Outcome.Rejected) outcomes.get(i);
                result.add(new Outcome.Retry("dlq-unavailable", "would go to the DLQ (" + r.code() + ": "
                        + r.reason() + ") but the DLQ copy did not complete before the deadline", true));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                result.add(new Outcome.Retry("interrupted", "interrupted while moving to the DLQ", false));
            } catch (ExecutionException e) {
                result.add(new Outcome.Retry("dlq-unavailable", "DLQ copy failed: " + e.getCause(), true));
            }
        }
        return result;
    }

    /**
     * The DLQ copy's attributes: ours first (SQS allows 10 per message), then the original ones that still fit, so
     * a re-process message redriven from the DLQ keeps its {@code photopipe-force}.
     */
    static Map<String, String> dlqAttributes(QueueMessage m, Outcome.Rejected r, PhotoEvent event, String failedAt) {
        Map<String, String> a = new LinkedHashMap<>();
        a.put(MessageAttributes.REASON_CODE, r.code());
        a.put(MessageAttributes.REASON, truncate(r.reason()));
        if (event != null) {
            a.put(MessageAttributes.OBJECT, truncate(event.object()));
        }
        a.put(MessageAttributes.ORIGINAL_MESSAGE_ID, m.messageId());
        a.put(MessageAttributes.FAILED_AT, failedAt);
        for (Map.Entry<String, String> e : m.messageAttributes().entrySet()) {
            if (a.size() >= 10) {
                break;
            }
            a.putIfAbsent(e.getKey(), e.getValue());
        }
        return a;
    }

    private static String truncate(String s) {
        return s.length() <= MAX_REASON_CHARS ? s : s.substring(0, MAX_REASON_CHARS - 3) + "...";
    }

    private void changeVisibility(List<QueueMessage> messages, List<Outcome> outcomes, Deadline deadline) {
        Map<String, List<VisibilityControl.Change>> byQueue = new LinkedHashMap<>();
        for (int i = 0; i < messages.size(); i++) {
            QueueMessage m = messages.get(i);
            if (outcomes.get(i) instanceof Outcome.Retry r && m.eventSourceArn() != null && m.receiptHandle() != null) {
                int seconds = r.backoff() ? backoffSeconds(m.receiveCount()) : 0;
                byQueue.computeIfAbsent(m.eventSourceArn(), k -> new ArrayList<>())
                        .add(new VisibilityControl.Change(m.receiptHandle(), seconds));
            }
        }
        if (byQueue.isEmpty()) {
            return;
        }
        // Best effort and bounded by the deadline: a message whose change does not happen comes back after the
        // queue's visibility timeout instead.
        Future<?> changing = threads.submit(() -> byQueue.forEach(visibility::change));
        try {
            changing.get(Math.max(0, deadline.remaining().minus(ANSWER_MARGIN).toNanos()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException | ExecutionException e) {
            changing.cancel(true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Exponential backoff with jitter: {@code retryBase * 2^(receiveCount-1)}, capped at {@code retryMax}, then a
     * random value between half and all of it (so messages that failed together do not come back together).
     */
    int backoffSeconds(int receiveCount) {
        long base = Math.max(1, settings.retryBase().toSeconds());
        long cap = Math.min(MAX_VISIBILITY_SECONDS, Math.max(base, settings.retryMax().toSeconds()));
        long full = Math.min(cap, base << Math.min(20, Math.max(0, receiveCount - 1)));
        return (int) ThreadLocalRandom.current().nextLong(Math.max(1, full / 2), full + 1);
    }
}
