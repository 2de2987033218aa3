/**
 * The photopipe worker, a Lambda function over an SQS queue of S3 events: {@link io.photopipe.worker.WorkerHandler}
 * (the thin Lambda adapter), {@link io.photopipe.worker.WorkerConfig} (all configuration, from environment variables)
 * and {@link io.photopipe.worker.Worker} (the object graph, built once per execution environment).
 */
package io.photopipe.worker;
