/**
 * Message shapes: an SQS body (S3 notification, SNS envelope, EventBridge event, test event, producer re-process
 * message) becomes {@link io.photopipe.worker.messages.PhotoEvent}s, or a reason why not. No I/O.
 */
package io.photopipe.worker.messages;
