/**
 * What several photopipe modules share, and nothing heavy: the {@link io.photopipe.core.PipelineSettings pipeline
 * settings} (one description of bucket, prefixes, queues, function settings and presets, read by the worker, the API,
 * the producer, the local runtime and the CDK app), the {@link io.photopipe.core.OutputLayout output key layout}, and
 * the {@link io.photopipe.core.S3EventMessages message format} (S3 event notifications, which our producer also
 * emits so the worker has one path).
 */
package io.photopipe.core;
