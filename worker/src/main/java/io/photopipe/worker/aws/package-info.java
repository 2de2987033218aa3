/**
 * The ports on S3 and SQS with the AWS SDK v2: clients built once ({@link io.photopipe.worker.aws.AwsClients}), every
 * call through a resilience4j retry and circuit breaker ({@link io.photopipe.worker.aws.CallGuard}).
 */
package io.photopipe.worker.aws;
