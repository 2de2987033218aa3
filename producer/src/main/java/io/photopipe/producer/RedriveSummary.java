package io.photopipe.producer;

import java.time.Duration;
import java.util.List;

/**
 * What a redrive did.
 *
 * @param method     {@code move-task} (SQS StartMessageMoveTask) or {@code manual} (receive, send, delete)
 * @param from       the DLQ
 * @param to         the queue messages went back to
 * @param moved      messages now in the target queue and gone from the DLQ
 * @param skipped    messages left in the DLQ because their reason did not match (manual)
 * @param failed     messages that could not be moved (still in the DLQ)
 * @param duplicated messages sent but not deleted from the DLQ (now in both; SQS is at-least-once anyway)
 * @param taskHandle the move task's handle (move-task)
 * @param taskStatus the move task's final status (move-task)
 * @param failures   the first failures
 * @param elapsed    wall time
 */
public record RedriveSummary(String method, String from, String to, long moved, long skipped, long failed,
                             long duplicated, String taskHandle, String taskStatus, List<SendResult.Failure> failures,
                             Duration elapsed) {
}
