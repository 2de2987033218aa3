package io.photopipe.worker.process;

import io.photopipe.core.MessageAttributes;
import io.photopipe.core.ReasonCodes;
import io.photopipe.worker.messages.PhotoEvent;
import io.photopipe.worker.observe.WorkerMetrics;
import io.photopipe.worker.ports.DeadLetterQueue;
import io.photopipe.worker.ports.PortException;
import io.photopipe.worker.ports.SourceQueue;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens to a batch's messages once their outcomes are known, bounded by the deadline:
 * <ol>
 *   <li><b>Last delivery.</b> A message on its last delivery ({@code receiveCount >= maxReceiveCount}) whose
 *       outcome is a retry would be moved to the DLQ by the queue without any reason; the worker moves it itself,
 *       as {@code retries-exhausted:<last cause>} ({@code timed-out} for a render abandoned at the deadline), and
 *       gives its photo a FAILED status where S3 allows.</li>
 *   <li><b>DLQ moves.</b> Rejected messages are copied to the DLQ with the reason, then acknowledged; a failed copy
 *       makes the message a retry (never acknowledged without a confirmed copy). The copy's id goes into the photo's
 *       attempt record, so a redelivery (a lost acknowledgement) is acknowledged instead of copied again.</li>
 *   <li><b>Visibility.</b> Retried messages come back after a backoff growing with their receive count; a
 *       {@code circuit-open} retry waits at least the breaker's open time, longer with each receive, so a storm does
 *       not burn the receives of messages that were never tried.</li>
 * </ol>
 */
final class Settlement {
    private static final Logger LOG = LoggerFactory.getLogger(Settlement.class);
    /** Longest visibility SQS allows (12 hours). */
    static final int MAX_VISIBILITY_SECONDS = 43_200;
    private static final int MAX_REASON_CHARS = 1000;
    /** Time kept after the last SQS call for the handler to answer. */
    private static final Duration ANSWER_MARGIN = Duration.ofMillis(250);
    /** The DLQ copy failed: the message stays in the queue (and its last delivery cannot move it either). */
    static final String DLQ_UNAVAILABLE = "dlq-unavailable";

    /**
     * One photo event of a message, with its delivery and its own outcome.
     */
    record Photo(PhotoEvent event, Delivery delivery, Outcome outcome) {
    }

    /**
     * One message being settled.
     *
     * @param message         the message
     * @param outcome         its outcome so far
     * @param decisive        the photo event that decided it (null for malformed and ignored messages)
     * @param photos          its photo events
     * @param took            the longest photo's time
     * @param maxReceiveCount the queue's maxReceiveCount for this batch
     * @param dlqMessageId    its DLQ copy's id, once moved
     */
    record Item(QueueMessage message, Outcome outcome, PhotoEvent decisive, List<Photo> photos, Duration took,
                int maxReceiveCount, String dlqMessageId) {
        Item with(Outcome o) {
            return new Item(message, o, decisive, photos, took, maxReceiveCount, dlqMessageId);
        }

        Item moved(String dlqId) {
            return new Item(message, outcome, decisive, photos, took, maxReceiveCount, dlqId);
        }

        boolean lastDelivery() {
            return message.receiveCount() >= maxReceiveCount;
        }
    }

    private final BatchProcessor.Settings settings;
    private final PhotoProcessor photos;
    private final DeadLetterQueue dlq;
    private final SourceQueue queue;
    private final WorkerMetrics metrics;
    private final ExecutorService threads;

    Settlement(BatchProcessor.Settings settings, PhotoProcessor photos, DeadLetterQueue dlq, SourceQueue queue,
               WorkerMetrics metrics, ExecutorService threads) {
        this.settings = settings;
        this.photos = photos;
        this.dlq = dlq;
        this.queue = queue;
        this.metrics = metrics;
        this.threads = threads;
    }

    /**
     * Settles the items.
     *
     * @param acknowledgeMoved the invocation will not answer (the environment is recycled): delete moved messages here
     */
    List<Item> settle(List<Item> items, Deadline deadline, boolean acknowledgeMoved) {
        List<Item> settled = moveToDlq(lastDelivery(items, deadline), deadline);
        if (acknowledgeMoved) {
            acknowledge(settled, deadline);
        }
        changeVisibility(settled, deadline);
        return settled;
    }

    /** Waits for writes started earlier (bounded by the deadline). */
    void await(List<Future<?>> writes, Deadline deadline) {
        for (Future<?> f : writes) {
            try {
                f.get(Math.max(0, deadline.remaining().minus(ANSWER_MARGIN).toNanos()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException | ExecutionException e) {
                f.cancel(true);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private List<Item> lastDelivery(List<Item> items, Deadline deadline) {
        List<Future<Item>> out = new ArrayList<>(items.size());
        for (Item it : items) {
            if (it.outcome() instanceof Outcome.Retry r && it.lastDelivery()
                    && !r.code().equals(DLQ_UNAVAILABLE)) {
                out.add(threads.submit(() -> giveUp(it, r)));
            } else {
                out.add(CompletableFuture.completedFuture(it));
            }
        }
        List<Item> result = new ArrayList<>(items.size());
        for (int i = 0; i < out.size(); i++) {
            result.add(get(out.get(i), deadline, items.get(i)));
        }
        return result;
    }

    /** {@code Item} of a future, or (at the deadline) the item turned into a rejection without a FAILED status. */
    private static Item get(Future<Item> f, Deadline deadline, Item original) {
        try {
            return f.get(Math.max(0, deadline.remaining().minus(ANSWER_MARGIN).toNanos()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException | ExecutionException e) {
            f.cancel(true);
            return original.outcome() instanceof Outcome.Retry r ? original.with(rejection(original, r)) : original;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return original;
        }
    }

    private Item giveUp(Item it, Outcome.Retry r) {
        Outcome.Rejected rejected = rejection(it, r);
        boolean allReady = !it.photos().isEmpty();
        for (Photo p : it.photos()) {
            if (!(p.outcome() instanceof Outcome.Retry)) {
                continue;
            }
            Optional<Outcome> ready = photos.giveUp(p.event(), p.delivery(), rejected.code(), rejected.reason());
            allReady &= ready.isPresent();
        }
        if (allReady) {
            // The photos are in fact ready (another message rendered them): nothing to give up on.
            return it.with(new Outcome.Skipped("up-to-date", "ready already; this delivery failed with "
                    + r.code() + " (" + r.reason() + ")"));
        }
        return it.with(rejected);
    }

    private static Outcome.Rejected rejection(Item it, Outcome.Retry r) {
        String code = r.code().equals(ReasonCodes.TIMED_OUT) ? ReasonCodes.TIMED_OUT
                : ReasonCodes.retriesExhausted(r.code());
        String history = it.photos().stream().filter(p -> p.event().equals(it.decisive())).findFirst()
                .map(p -> p.delivery().known()).map(k -> k.record().history(it.message().messageId(), Instant.now()))
                .filter(h -> !h.isEmpty()).map(h -> "; attempts: " + h).orElse("");
        return new Outcome.Rejected(code, "failed on its last delivery (" + it.message().receiveCount() + " of "
                + it.maxReceiveCount() + "): " + r.reason() + history, r.work());
    }

    private List<Item> moveToDlq(List<Item> items, Deadline deadline) {
        List<Future<Item>> moved = new ArrayList<>(items.size());
        String failedAt = Instant.now().toString();
        for (Item it : items) {
            if (!(it.outcome() instanceof Outcome.Rejected r)) {
                moved.add(CompletableFuture.completedFuture(it));
                continue;
            }
            Map<String, String> attributes = dlqAttributes(it.message(), r, it.decisive(), failedAt);
            moved.add(threads.submit(() -> {
                try {
                    String id = dlq.send(it.message().body(), attributes);
                    metrics.dlqMove(true);
                    for (Photo p : it.photos()) {
                        photos.movedToDlq(p.event(), p.delivery(), it.message().messageId(), r.code(), id);
                    }
                    return it.moved(id);
                } catch (PortException e) {
                    metrics.dlqMove(false);
                    return it.with(new Outcome.Retry(DLQ_UNAVAILABLE, "would go to the DLQ (" + r.code() + ": "
                            + r.reason() + ") but the DLQ copy failed: " + e.getMessage(), true));
                }
            }));
        }
        List<Item> result = new ArrayList<>(items.size());
        for (int i = 0; i < moved.size(); i++) {
            Future<Item> f = moved.get(i);
            Item it = items.get(i);
            try {
                result.add(f.get(Math.max(0, deadline.remaining().minus(ANSWER_MARGIN).toNanos()),
                        TimeUnit.NANOSECONDS));
            } catch (TimeoutException e) {
                // Not acknowledged without a confirmed copy. If the send still lands, the redelivery finds its id in
                // the attempt record (or, failing that, is copied again: a duplicate in the DLQ, never a loss).
                Outcome.Rejected r = (Outcome.Rejected) it.outcome();
                result.add(it.with(new Outcome.Retry(DLQ_UNAVAILABLE, "would go to the DLQ (" + r.code() + ": "
                        + r.reason() + ") but the DLQ copy did not complete before the deadline", true)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                result.add(it.with(new Outcome.Retry("interrupted", "interrupted while moving to the DLQ", false)));
            } catch (ExecutionException e) {
                result.add(it.with(new Outcome.Retry(DLQ_UNAVAILABLE, "DLQ copy failed: " + e.getCause(), true)));
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
        // A message redriven from the DLQ keeps the first original id, so copies of copies stay countable.
        a.put(MessageAttributes.ORIGINAL_MESSAGE_ID, m.messageAttributes()
                .getOrDefault(MessageAttributes.ORIGINAL_MESSAGE_ID, m.messageId()));
        a.put(MessageAttributes.FAILED_AT, failedAt);
        for (Map.Entry<String, String> e : m.messageAttributes().entrySet()) {
            if (a.size() >= 10) {
                break;
            }
            a.putIfAbsent(e.getKey(), e.getValue());
        }
        return a;
    }

    /**
     * At most 1,000 characters, and only characters SQS accepts in a message attribute (#x9, #xA, #xD, #x20 to
     * #xD7FF, #xE000 to #xFFFD, #x10000 to #x10FFFF; others are escaped as {@code \\uXXXX}): a key with a control
     * character once made the DLQ copy fail with InvalidMessageContents, so the message could never carry its
     * reason (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessage.html).
     */
    static String truncate(String s) {
        StringBuilder b = new StringBuilder(Math.min(s.length(), MAX_REASON_CHARS));
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean pair = Character.isHighSurrogate(c) && i + 1 < s.length()
                    && Character.isLowSurrogate(s.charAt(i + 1));
            if (pair) {
                b.append(c).append(s.charAt(++i));
            } else if (c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD)) {
                b.append(c);
            } else {
                b.append(String.format("\\u%04x", (int) c));
            }
        }
        String safe = b.toString();
        if (safe.length() <= MAX_REASON_CHARS) {
            return safe;
        }
        int end = MAX_REASON_CHARS - 3;
        if (Character.isHighSurrogate(safe.charAt(end - 1))) {
            end--;
        }
        return safe.substring(0, end) + "...";
    }

    /** Deletes the moved messages (for an invocation that will not answer, so the mapping deletes nothing). */
    private void acknowledge(List<Item> items, Deadline deadline) {
        Map<String, List<String>> byQueue = new LinkedHashMap<>();
        for (Item it : items) {
            QueueMessage m = it.message();
            if (it.dlqMessageId() != null && m.eventSourceArn() != null && m.receiptHandle() != null) {
                byQueue.computeIfAbsent(m.eventSourceArn(), k -> new ArrayList<>()).add(m.receiptHandle());
            }
        }
        bounded(() -> byQueue.forEach(queue::delete), deadline, "delete moved messages");
    }

    private void changeVisibility(List<Item> items, Deadline deadline) {
        Map<String, List<SourceQueue.Change>> byQueue = new LinkedHashMap<>();
        for (Item it : items) {
            QueueMessage m = it.message();
            if (it.outcome() instanceof Outcome.Retry r && m.eventSourceArn() != null && m.receiptHandle() != null) {
                int seconds = r.code().equals(PortException.CIRCUIT_OPEN) ? circuitBackoffSeconds(m.receiveCount())
                        : r.backoff() ? backoffSeconds(m.receiveCount()) : 0;
                byQueue.computeIfAbsent(m.eventSourceArn(), k -> new ArrayList<>())
                        .add(new SourceQueue.Change(m.receiptHandle(), seconds));
            }
        }
        // Best effort: a message whose change does not happen comes back after the queue's visibility timeout.
        bounded(() -> byQueue.forEach(queue::change), deadline, "change visibility");
    }

    private void bounded(Runnable work, Deadline deadline, String what) {
        Future<?> f = threads.submit(work);
        try {
            f.get(Math.max(0, deadline.remaining().minus(ANSWER_MARGIN).toNanos()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException | ExecutionException e) {
            f.cancel(true);
            LOG.warn("could not {} before the deadline: {}", what, e.getCause() == null ? e : e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Exponential backoff with jitter: {@code retryBase * 2^(receiveCount-1)}, capped at {@code retryMax}, then a
     * random value between half and all of it (so messages that failed together do not come back together).
     */
    int backoffSeconds(int receiveCount) {
        long full = fullBackoff(receiveCount);
        return (int) ThreadLocalRandom.current().nextLong(Math.max(1, full / 2), full + 1);
    }

    private long fullBackoff(int receiveCount) {
        long base = Math.max(1, settings.retryBase().toSeconds());
        long cap = Math.min(MAX_VISIBILITY_SECONDS, Math.max(base, settings.retryMax().toSeconds()));
        return Math.min(cap, base << Math.min(20, Math.max(0, receiveCount - 1)));
    }

    /**
     * The backoff of a {@code circuit-open} retry (the message was not even tried): {@code open * 2^receiveCount},
     * at least the ordinary backoff, capped at the larger of {@code retryMax} and twice the open time, then a
     * random value between half and all of it, never less than the open time. It never returns while the breaker
     * that refused it is still open, and over the receives it spans a long storm: with the defaults (open 30 s)
     * 30-60, 60-120, 120-240 and 240-480 s, so the fifth receive comes 7.5 to 15 minutes after the first.
     */
    int circuitBackoffSeconds(int receiveCount) {
        long open = Math.max(1, settings.circuitOpen().toSeconds());
        long cap = Math.min(MAX_VISIBILITY_SECONDS, Math.max(settings.retryMax().toSeconds(), 2 * open));
        long full = Math.min(cap, Math.max(fullBackoff(receiveCount), open << Math.min(20, Math.max(1,
                receiveCount))));
        return (int) ThreadLocalRandom.current().nextLong(Math.min(full, Math.max(open, full / 2)), full + 1);
    }
}
