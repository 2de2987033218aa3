/**
 * The edges the worker talks to, as small interfaces: object storage, the DLQ, the results queue, message visibility.
 * Implementations on AWS are in {@code io.photopipe.worker.aws}; failures arrive as
 * {@link io.photopipe.worker.ports.PortException}.
 */
package io.photopipe.worker.ports;
