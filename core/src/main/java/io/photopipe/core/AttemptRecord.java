package io.photopipe.core;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The worker's record of its attempts to process one photo, a JSON document at {@link OutputLayout#attemptKey}
 * beside the status document. The worker writes an attempt <em>before</em> it downloads and decodes the photo, and
 * ends it when the delivery ends without a final status (a retry, a deadline stop, a move to the DLQ); a
 * {@link PhotoStatus} written after an attempt started ends that attempt too (the worker then deletes the record).
 * So an invocation that died (OOM kill, timeout, crash) leaves an attempt that started and never ended, and the next
 * delivery, {@code produce dlq list}, the status API or a ledger can name what happened without any log.
 *
 * <p>Example:
 * <pre>{"bucket":"photos","key":"uploads/a.jpg","attempts":[
 *   {"messageId":"5e0c…","receiveCount":1,"maxReceiveCount":5,"sourceETag":"9b2c…",
 *    "environment":"2026/12/08/[$LATEST]4f1d…","startedAt":"…","deadline":"…","endedAt":"…","result":"s3-unavailable"},
 *   {"messageId":"5e0c…","receiveCount":2,"maxReceiveCount":5,"sourceETag":"9b2c…",
 *    "environment":"2026/12/08/[$LATEST]77aa…","startedAt":"…","deadline":"…"}]}</pre>
 * The second attempt has no end: if its deadline passed, its environment died during the render.
 *
 * @param bucket   the photo's bucket
 * @param key      the photo's key
 * @param attempts oldest first, at most {@value #MAX_ATTEMPTS}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AttemptRecord(String bucket, String key, List<Attempt> attempts) {
    /** Attempts kept per photo (older ones are dropped). */
    public static final int MAX_ATTEMPTS = 20;
    /**
     * An attempt without an end counts as dead only this long after its deadline, for clocks that differ between
     * the worker and a reader (Lambda stops an invocation at its deadline).
     */
    public static final Duration DEAD_AFTER_DEADLINE = Duration.ofSeconds(30);

    /**
     * One delivery of one message that the worker started on.
     *
     * @param messageId       the SQS message id (SQS keeps it when its redrive policy moves the message to the DLQ)
     * @param receiveCount    its {@code ApproximateReceiveCount} on this delivery
     * @param maxReceiveCount the queue's {@code maxReceiveCount} the worker knew: {@code receiveCount >=
     *                        maxReceiveCount} is the last delivery
     * @param sourceETag      the ETag the event named (null when it named none)
     * @param environment     the execution environment (Lambda's log stream name: where its logs are)
     * @param startedAt       when the worker started on it (before the download)
     * @param deadline        the invocation's deadline
     * @param endedAt         when the delivery ended without a final status, or null (running, or died)
     * @param result          how it ended: a reason code ({@code s3-unavailable}, {@code timed-out}, ...), or null
     * @param dlqMessageId    when the worker moved the message to the DLQ: the DLQ copy's message id
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Attempt(String messageId, int receiveCount, int maxReceiveCount, String sourceETag,
                          String environment, Instant startedAt, Instant deadline, Instant endedAt, String result,
                          String dlqMessageId) {
        public Attempt {
            Objects.requireNonNull(messageId, "messageId");
            Objects.requireNonNull(startedAt, "startedAt");
            Objects.requireNonNull(deadline, "deadline");
        }

        /** A new attempt, not ended. */
        public static Attempt started(String messageId, int receiveCount, int maxReceiveCount, String sourceETag,
                                      String environment, Instant startedAt, Instant deadline) {
            return new Attempt(messageId, receiveCount, maxReceiveCount, sourceETag, environment, startedAt, deadline,
                    null, null, null);
        }

        /** This attempt, ended with {@code result}. */
        public Attempt endedWith(String result, Instant at) {
            return new Attempt(messageId, receiveCount, maxReceiveCount, sourceETag, environment, startedAt, deadline,
                    at, result, dlqMessageId);
        }

        /** This attempt, ended by a move to the DLQ with {@code reasonCode} as copy {@code dlqMessageId}. */
        public Attempt movedToDlq(String reasonCode, String dlqMessageId, Instant at) {
            return new Attempt(messageId, receiveCount, maxReceiveCount, sourceETag, environment, startedAt, deadline,
                    at, reasonCode, dlqMessageId);
        }

        /** Whether this was the message's last delivery before the queue moves it to the DLQ. */
        public boolean lastReceive() {
            return receiveCount >= maxReceiveCount;
        }

        /**
         * What this attempt came to, as a reason code: its {@code result} when it ended,
         * {@value ReasonCodes#CRASHED_DURING_RENDER} when it never ended and its deadline is past, and empty while
         * it may still be running.
         */
        public Optional<String> fate(Instant now) {
            if (endedAt != null) {
                return Optional.ofNullable(result);
            }
            return now.isAfter(deadline.plus(DEAD_AFTER_DEADLINE)) ? Optional.of(ReasonCodes.CRASHED_DURING_RENDER)
                    : Optional.empty();
        }

        /** Whether the invocation died or overran during this attempt ({@code crashed-during-render}, {@code timed-out}). */
        public boolean died(Instant now) {
            return fate(now).filter(f -> f.equals(ReasonCodes.CRASHED_DURING_RENDER)
                    || f.equals(ReasonCodes.TIMED_OUT)).isPresent();
        }

        String describe(Instant now) {
            return "delivery " + receiveCount + ": " + fate(now).orElse("running") + " (environment " + environment
                    + ", started " + startedAt + ")";
        }
    }

    public AttemptRecord {
        attempts = attempts == null ? List.of() : List.copyOf(attempts);
    }

    /** A record with no attempts yet. */
    public static AttemptRecord empty(String bucket, String key) {
        return new AttemptRecord(bucket, key, List.of());
    }

    /**
     * This record with a new attempt. Attempts of the same message with the same or a higher receive count belong to
     * an earlier life of the message (before a redrive reset its count) and are dropped; beyond
     * {@value #MAX_ATTEMPTS}, the oldest are.
     */
    public AttemptRecord with(Attempt a) {
        List<Attempt> kept = new ArrayList<>();
        for (Attempt x : attempts) {
            if (!(x.messageId().equals(a.messageId()) && x.receiveCount() >= a.receiveCount())) {
                kept.add(x);
            }
        }
        kept.add(a);
        kept.sort(Comparator.comparing(Attempt::startedAt));
        return new AttemptRecord(bucket, key, kept.subList(Math.max(0, kept.size() - MAX_ATTEMPTS), kept.size()));
    }

    /** This record with the attempt of the same message and receive count replaced by {@code a} (or added). */
    public AttemptRecord replacing(Attempt a) {
        List<Attempt> kept = new ArrayList<>();
        boolean replaced = false;
        for (Attempt x : attempts) {
            if (x.messageId().equals(a.messageId()) && x.receiveCount() == a.receiveCount()) {
                kept.add(a);
                replaced = true;
            } else {
                kept.add(x);
            }
        }
        return replaced ? new AttemptRecord(bucket, key, kept) : with(a);
    }

    /** The attempts of one message, oldest first. */
    public List<Attempt> of(String messageId) {
        return attempts.stream().filter(a -> a.messageId().equals(messageId)).toList();
    }

    /** The attempt of one message with the highest receive count. */
    public Optional<Attempt> latest(String messageId) {
        return attempts.stream().filter(a -> a.messageId().equals(messageId))
                .max(Comparator.comparingInt(Attempt::receiveCount));
    }

    /**
     * Why a message failed for good, from its attempts: for a message that reached the DLQ without the worker's
     * reason (the queue's redrive policy moved it after its last receive, because its environment died), this is
     * {@value ReasonCodes#CRASHED_DURING_RENDER}, {@value ReasonCodes#TIMED_OUT}, the reason of the worker's own DLQ
     * copy (the queue's copy is then a duplicate), or {@code retries-exhausted:<last result>}. Empty when the record
     * has no attempt of the message, or its last attempt may still be running.
     */
    public Optional<String> reasonFor(String messageId, Instant now) {
        return latest(messageId).flatMap(a -> reasonOf(a, now));
    }

    private static Optional<String> reasonOf(Attempt a, Instant now) {
        return a.fate(now).map(f -> {
            if (a.dlqMessageId() != null || f.equals(ReasonCodes.CRASHED_DURING_RENDER)
                    || f.equals(ReasonCodes.TIMED_OUT) || ReasonCodes.family(f).equals(ReasonCodes.RETRIES_EXHAUSTED)) {
                return f;
            }
            return ReasonCodes.retriesExhausted(f);
        });
    }

    /**
     * For a photo with no final status: its latest attempt for {@code sourceETag} (any, when null) if that was the
     * last delivery of its message and it ended or died, with the reason ({@link #reasonFor}); the photo will not be
     * tried again by that message.
     */
    public Optional<FinalFailure> finalFailure(String sourceETag, Instant now) {
        return attempts.stream()
                .filter(a -> sourceETag == null || a.sourceETag() == null || sourceETag.equals(a.sourceETag()))
                .max(Comparator.comparing(Attempt::startedAt))
                .filter(Attempt::lastReceive)
                .flatMap(a -> reasonOf(a, now).map(r -> new FinalFailure(a, r, r + " on delivery " + a.receiveCount()
                        + " of " + a.maxReceiveCount() + " (" + history(a.messageId(), now) + ")")));
    }

    /**
     * @param attempt    the last attempt
     * @param reasonCode why it failed
     * @param reason     a readable explanation with the history
     */
    public record FinalFailure(Attempt attempt, String reasonCode, String reason) {
    }

    /** The attempts of one message, for people: {@code delivery 1: s3-unavailable (environment ..., started ...); ...}. */
    public String history(String messageId, Instant now) {
        return of(messageId).stream().map(a -> a.describe(now)).collect(Collectors.joining("; "));
    }

    public String toJson() {
        try {
            return Documents.JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Reads a record.
     *
     * @throws IllegalArgumentException when it is not one
     */
    public static AttemptRecord fromJson(String json) {
        try {
            AttemptRecord r = Documents.JSON.readValue(json, AttemptRecord.class);
            if (r == null) {
                throw new IllegalArgumentException("not a photopipe attempt record: empty");
            }
            return r;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a photopipe attempt record: " + e.getOriginalMessage(), e);
        }
    }
}
