package io.photopipe.worker.ports;

import java.util.List;

/**
 * Sets when failed messages become visible again, so retries back off instead of coming back after the queue's
 * full visibility timeout (or at once).
 */
public interface VisibilityControl {

    /** Does nothing; messages come back after the queue's visibility timeout. */
    VisibilityControl NONE = (queueArn, changes) -> { };

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
}
