/**
 * The photopipe producer: a CLI ({@link io.photopipe.producer.ProducerCli}) that feeds the pipeline's queue and
 * looks after it. {@code backfill} re-processes a library (ListObjectsV2 or an S3 Inventory manifest, resumable,
 * rate limited), {@code burst} uploads photos concurrently, {@code dlq} and {@code redrive} inspect and move back
 * failed messages, {@code status} shows and waits on queue depth. Plain classes ({@link io.photopipe.producer.Backfill},
 * {@link io.photopipe.producer.Redrive}, ...) do the work; the picocli commands are thin adapters over them.
 */
package io.photopipe.producer;
