/**
 * The ports on S3 and SQS with the AWS SDK v2: clients built once ({@link io.photopipe.worker.aws.AwsClients}), every
 * call through a resilience4j retry and a circuit breaker that counts the service's failures, not the worker's own
 * cancellations ({@link io.photopipe.worker.aws.CallGuard}; one each for S3 reads, S3 writes and SQS).
 */
package io.photopipe.worker.aws;
