package io.photopipe.worker.ports;

import io.photopipe.core.PhotoStatus;

/** Tells interested parties (the results queue) that a photo reached a final state. */
public interface ResultsPublisher {

    /** A publisher that publishes nothing, for deployments without a results queue. */
    ResultsPublisher NONE = status -> { };

    /**
     * Publishes a status.
     *
     * @throws PortException when it could not be published
     */
    void publish(PhotoStatus status);
}
