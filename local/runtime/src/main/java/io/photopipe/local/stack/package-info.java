/**
 * The whole local stack in one process: {@link io.photopipe.local.stack.LocalStack} starts S3 and SQS, the pipeline's
 * bucket, queues and notifications, the worker function behind Lambda's SQS event source mapping and the upload
 * API, all from the {@link io.photopipe.core.PipelineSettings} the CDK app also reads; {@code ./photopipe local}
 * ({@link io.photopipe.local.stack.LocalCommand}) keeps it running with live metrics, and
 * {@code ./photopipe aws} ({@link io.photopipe.local.stack.AwsCommand}) points the AWS CLI at it.
 */
package io.photopipe.local.stack;
