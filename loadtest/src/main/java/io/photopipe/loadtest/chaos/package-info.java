/**
 * {@code ./photopipe chaos}: the promise "every message ends done, skipped or in the DLQ with a reason" tried under
 * fire. {@link io.photopipe.loadtest.chaos.ChaosCommand} builds a library ({@code Library}), runs it through a local
 * stack in a child JVM ({@code io.photopipe.local.stack.StackProcess}) under S3 faults, worker SIGKILLs, a stack
 * SIGTERM and SIGKILL with restarts, an SQS outage and an upload burst ({@code ChaosRun}), then proves the outcome
 * object by object ({@code Ledger}, {@code WorkerLogs}) in {@code chaos.json} and {@code chaos.html}
 * ({@code ChaosReport}).
 */
package io.photopipe.loadtest.chaos;
