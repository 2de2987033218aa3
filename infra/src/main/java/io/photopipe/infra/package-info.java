/**
 * The AWS CDK app that deploys photopipe: the bucket and its notifications, the queues, the worker and API functions,
 * the HTTP API, least-privilege IAM, alarms and a dashboard, all derived from the same
 * {@link io.photopipe.core.PipelineSettings} the local runtime reads, so local and AWS cannot drift.
 *
 * <p>Entry point: {@link io.photopipe.infra.PhotopipeApp} ({@code ./photopipe infra synth}, or {@code cdk.json}).
 */
package io.photopipe.infra;
