package io.photopipe.worker.process;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One delivery of one photo event: the messages that carried it in this batch (duplicates share one delivery), how
 * often each was received, the queue's {@code maxReceiveCount}, the invocation's deadline and environment, and where
 * its attempt record stands. The batch creates it; {@link PhotoProcessor} starts and ends the attempt; the batch
 * abandons it at the deadline, which a render still running cannot undo.
 */
public final class Delivery {

    /**
     * One message of the delivery.
     *
     * @param id           SQS message id
     * @param receiveCount its {@code ApproximateReceiveCount}
     */
    public record Message(String id, int receiveCount) {
        public Message {
            Objects.requireNonNull(id, "id");
        }
    }

    /** Where the attempt record of this delivery stands. */
    enum State {
        /** Nothing recorded; the photo was not started on. */
        NEW,
        /** The attempt is recorded as started (before the download). */
        STARTED,
        /** The attempt ended (recorded, or the photo reached its final status). */
        ENDED,
        /** Given up on at the deadline; whatever the render does later does not change the record's verdict. */
        ABANDONED
    }

    private final List<Message> messages;
    private final int maxReceiveCount;
    private final Instant deadline;
    private final String environment;
    private State state = State.NEW;
    private boolean begun;
    /** The attempt record as last read or written, so the next conditional write needs no extra GET. */
    private Attempts.Read known;
    /** Held during every write of this delivery's attempt record, so they land in the order they were decided. */
    final ReentrantLock writing = new ReentrantLock();

    public Delivery(List<Message> messages, int maxReceiveCount, Instant deadline, String environment) {
        this.messages = List.copyOf(messages);
        if (this.messages.isEmpty()) {
            throw new IllegalArgumentException("a delivery has at least one message");
        }
        this.maxReceiveCount = maxReceiveCount;
        this.deadline = Objects.requireNonNull(deadline, "deadline");
        this.environment = Objects.requireNonNull(environment, "environment");
    }

    public List<Message> messages() {
        return messages;
    }

    /** The message with the highest receive count (the one closest to the DLQ). */
    public Message primary() {
        return messages.stream().max(Comparator.comparingInt(Message::receiveCount)).orElseThrow();
    }

    /** The highest receive count of its messages. */
    public int receiveCount() {
        return primary().receiveCount();
    }

    public int maxReceiveCount() {
        return maxReceiveCount;
    }

    /** Whether a message is on its last delivery: failing again means the queue moves it to the DLQ. */
    public boolean lastReceive(int receiveCount) {
        return receiveCount >= maxReceiveCount;
    }

    public Instant deadline() {
        return deadline;
    }

    public String environment() {
        return environment;
    }

    synchronized State state() {
        return state;
    }

    /** NEW to STARTED; false when the delivery was abandoned (or ended) first. */
    synchronized boolean start() {
        if (state != State.NEW) {
            return false;
        }
        state = State.STARTED;
        begun = true;
        return true;
    }

    /** STARTED to ENDED; false when it was abandoned meanwhile (the timed-out verdict stands). */
    synchronized boolean end() {
        if (state != State.STARTED) {
            return false;
        }
        state = State.ENDED;
        return true;
    }

    /** Marks it abandoned at the deadline; true when an attempt had started, so the record must say timed-out. */
    synchronized boolean abandon() {
        State was = state;
        if (was == State.NEW || was == State.STARTED) {
            state = State.ABANDONED;
        }
        return was == State.STARTED;
    }

    /** Whether the attempt started (and so may have been running at the deadline). */
    synchronized boolean started() {
        return begun;
    }

    synchronized Attempts.Read known() {
        return known;
    }

    synchronized void known(Attempts.Read read) {
        this.known = read;
    }
}
