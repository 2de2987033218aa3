/**
 * What happens to a batch and to each photo, as plain Java over the ports: outcomes as values
 * ({@link io.photopipe.worker.process.Outcome}), one photo ({@link io.photopipe.worker.process.PhotoProcessor}), one
 * batch with de-duplication, bounded parallelism, deadline, DLQ moves and visibility backoff
 * ({@link io.photopipe.worker.process.BatchProcessor}).
 */
package io.photopipe.worker.process;
