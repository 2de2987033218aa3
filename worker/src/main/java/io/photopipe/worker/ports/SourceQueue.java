package io.photopipe.worker.ports;

import java.util.List;
import java.util.OptionalInt;

/**
 * The queue a batch came from: when failed messages become visible again (so retries back off instead of coming back
 * after the queue's full visibility timeout, or at once), acknowledging messages the worker itself settled, and the
 * queue's own {@code maxReceiveCount}.
 */
public interface SourceQueue {

    /** Does nothing; messages come back after the queue's visibility timeout, and no redrive policy is known. */
    SourceQueue NONE = new SourceQueue() {
        @Override
        public void change(String queueArn, List<Change> changes) {
        }

        @Override
        public void delete(String queueArn, List<String> receiptHandles) {
        }

        @Override
        public OptionalInt maxReceiveCount(String queueArn) {
            return OptionalInt.empty();
        }
    };

    /**
     * One message's new visibility.
     *
     * @param receiptHandle the receipt handle of this delivery
     * @param seconds       from now until the message is visible again, 0 to 43200
     */
    record Change(String receiptHandle, int seconds) {
    }

    /**
     * Changes the visibility of messages of one queue. Best effort: a failure is logged by the implementation and
     * the messages then come back after the queue's visibility timeout.
     *
     * @param queueArn the queue, as the {@code eventSourceARN} of the records
     */
    void change(String queueArn, List<Change> changes);

    /**
     * Deletes messages of this delivery (the event source mapping deletes what a successful invocation did not
     * report as failed; this is for an invocation that will not end successfully).
     *
     * @throws PortException when they could not all be deleted
     */
    void delete(String queueArn, List<String> receiptHandles);

    /** The queue's {@code maxReceiveCount} from its redrive policy; empty when it has none or it cannot be read. */
    OptionalInt maxReceiveCount(String queueArn);
}
