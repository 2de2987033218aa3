package io.photopipe.worker.process;

import io.photopipe.core.AttemptRecord;
import io.photopipe.core.OutputLayout;
import io.photopipe.worker.messages.PhotoEvent;
import io.photopipe.worker.ports.ObjectStore;
import io.photopipe.worker.ports.PortException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads and writes photos' {@link AttemptRecord}s (at {@link OutputLayout#attemptKey}). Every change is a conditional
 * PUT on the ETag last seen, retried on a conflict after reading again, so two environments working on one photo at
 * once (duplicate events) keep each other's attempts. Who decides what to record is {@link PhotoProcessor} and the
 * batch; this class only keeps the writes of one {@link Delivery} in order and the document consistent.
 */
final class Attempts {
    private static final Logger LOG = LoggerFactory.getLogger(Attempts.class);
    private static final int TRIES = 4;

    /**
     * A record as read.
     *
     * @param record the record (empty when there was none, or it was unreadable)
     * @param eTag   its ETag, null when there was no document
     */
    record Read(AttemptRecord record, String eTag) {
    }

    private final ObjectStore store;
    private final OutputLayout layout;
    private final Clock clock;

    Attempts(ObjectStore store, OutputLayout layout, Clock clock) {
        this.store = store;
        this.layout = layout;
        this.clock = clock;
    }

    Instant now() {
        return clock.instant();
    }

    /** The photo's record as it is now. */
    Read read(PhotoEvent event) {
        Optional<ObjectStore.Versioned> v = store.getVersioned(layout.outputBucket(), layout.attemptKey(event.key()));
        if (v.isEmpty()) {
            return new Read(AttemptRecord.empty(event.bucket(), event.key()), null);
        }
        try {
            return new Read(AttemptRecord.fromJson(v.get().text()), v.get().eTag());
        } catch (IllegalArgumentException e) {
            LOG.warn("replacing an unreadable attempt record {}: {}", layout.attemptKey(event.key()), e.getMessage());
            return new Read(AttemptRecord.empty(event.bucket(), event.key()), v.get().eTag());
        }
    }

    /**
     * Records that the delivery starts on the photo (one attempt per message), before anything heavy happens.
     *
     * @return false when the delivery was abandoned first (the photo must not be started)
     * @throws PortException when the record cannot be written: nothing heavy may start unrecorded
     */
    boolean begin(PhotoEvent event, Delivery d) {
        d.writing.lock();
        try {
            if (!d.start()) {
                return false;
            }
            Instant now = now();
            update(event, d, r -> {
                AttemptRecord next = r;
                for (Delivery.Message m : d.messages()) {
                    next = next.with(AttemptRecord.Attempt.started(m.id(), m.receiveCount(), d.maxReceiveCount(),
                            event.eTag(), d.environment(), now, d.deadline()));
                }
                return next;
            });
            return true;
        } finally {
            d.writing.unlock();
        }
    }

    /** Ends a started attempt with a reason code; no effect when it was abandoned (it stays timed-out). */
    void end(PhotoEvent event, Delivery d, String result) {
        d.writing.lock();
        try {
            if (d.end()) {
                endAll(event, d, result);
            }
        } finally {
            d.writing.unlock();
        }
    }

    /** At the deadline: a started attempt is recorded as {@code timed-out}. Blocks while an earlier write runs. */
    void timedOut(PhotoEvent event, Delivery d, String result) {
        d.writing.lock();
        try {
            endAll(event, d, result);
        } finally {
            d.writing.unlock();
        }
    }

    private void endAll(PhotoEvent event, Delivery d, String result) {
        Instant now = now();
        update(event, d, r -> {
            AttemptRecord next = r;
            for (Delivery.Message m : d.messages()) {
                AttemptRecord.Attempt a = running(r, m, d, event, now);
                next = next.replacing(a.endedWith(result, now));
            }
            return next;
        });
    }

    /** The message was moved to the DLQ by the worker as {@code dlqMessageId}: a redelivery is then acknowledged. */
    void movedToDlq(PhotoEvent event, Delivery d, String messageId, String reasonCode, String dlqMessageId) {
        d.writing.lock();
        try {
            Instant now = now();
            Delivery.Message m = d.messages().stream().filter(x -> x.id().equals(messageId)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException(messageId + " is not in this delivery"));
            update(event, d, r -> r.replacing(running(r, m, d, event, now).movedToDlq(reasonCode, dlqMessageId, now)));
        } finally {
            d.writing.unlock();
        }
    }

    /** The photo reached its final status: the record is no longer needed (the status supersedes it). */
    void finished(PhotoEvent event, Delivery d) {
        d.writing.lock();
        try {
            d.end();
            store.delete(layout.outputBucket(), List.of(layout.attemptKey(event.key())));
            d.known(null);
        } catch (PortException e) {
            // Left behind, it is harmless: a status written after an attempt started ends that attempt.
            LOG.debug("could not delete the attempt record of {}: {}", event.object(), e.getMessage());
        } finally {
            d.writing.unlock();
        }
    }

    /** This delivery's attempt of message {@code m} in {@code r}, or a new one that starts and ends now. */
    private static AttemptRecord.Attempt running(AttemptRecord r, Delivery.Message m, Delivery d, PhotoEvent event,
                                                 Instant now) {
        return r.of(m.id()).stream().filter(a -> a.receiveCount() == m.receiveCount()).findFirst()
                .orElse(AttemptRecord.Attempt.started(m.id(), m.receiveCount(), d.maxReceiveCount(), event.eTag(),
                        d.environment(), now, d.deadline()));
    }

    /** Read-modify-write with a conditional PUT; on a conflict, read again and re-apply (a few times). */
    private void update(PhotoEvent event, Delivery d, UnaryOperator<AttemptRecord> change) {
        String key = layout.attemptKey(event.key());
        Read current = d.known() != null ? d.known() : read(event);
        for (int i = 0; i < TRIES; i++) {
            AttemptRecord next = change.apply(current.record());
            Optional<String> eTag = store.putIfUnchanged(layout.outputBucket(), key,
                    next.toJson().getBytes(StandardCharsets.UTF_8), "application/json", current.eTag());
            if (eTag.isPresent()) {
                d.known(new Read(next, eTag.get()));
                return;
            }
            current = read(event);
        }
        throw new PortException(PortException.S3_UNAVAILABLE, "the attempt record " + key + " kept changing under "
                + TRIES + " conditional writes", null);
    }

    /** Remembers a record read at the start of a delivery, so its first write needs no second GET. */
    static void remember(Delivery d, Read read) {
        d.known(read);
    }
}
