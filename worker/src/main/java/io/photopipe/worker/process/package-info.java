/**
 * What happens to a batch and to each photo, as plain Java over the ports: outcomes as values
 * ({@link io.photopipe.worker.process.Outcome}), one photo with its attempt record
 * ({@link io.photopipe.worker.process.PhotoProcessor}, {@link io.photopipe.worker.process.Delivery}), one batch with
 * de-duplication, bounded parallelism, the deadline and abandoned work
 * ({@link io.photopipe.worker.process.BatchProcessor}, {@link io.photopipe.worker.process.AbandonedWork}), and how
 * its messages are settled: last deliveries, DLQ moves, visibility backoff ({@code Settlement}). See worker/README.md.
 */
package io.photopipe.worker.process;
