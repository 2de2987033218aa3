/**
 * Observability: Micrometer meters ({@link io.photopipe.worker.observe.WorkerMetrics}) in a CloudWatch, logging or
 * in-memory registry ({@link io.photopipe.worker.observe.MetricsRegistries}), and one JSON line per message
 * ({@link io.photopipe.worker.observe.OutcomeLog}).
 */
package io.photopipe.worker.observe;
