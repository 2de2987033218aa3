/**
 * S3 event notifications for the embedded S3, as AWS sends them to SQS: {@link io.photopipe.local.notify.NotifyingBlobStore}
 * sees every object created or removed, {@link io.photopipe.local.notify.BucketNotifications} applies the bucket's
 * {@link io.photopipe.local.notify.NotificationConfiguration} (event types, prefix/suffix filters, target queue) and
 * writes each message to a durable {@link io.photopipe.local.notify.Outbox} that an
 * {@link io.photopipe.local.notify.OutboxSender} drains into SQS with retries, so no notification is lost while SQS
 * is briefly unavailable.
 */
package io.photopipe.local.notify;
