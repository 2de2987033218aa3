package io.photopipe.producer;

import java.time.Instant;

/**
 * The state of the queue and its DLQ at one moment. SQS's counts are approximate and can lag by up to a minute on
 * AWS (<a href="https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/confirm-queue-is-empty.html">confirming
 * that a queue is empty</a>).
 *
 * @param queue                 queue name
 * @param visible               ApproximateNumberOfMessages: waiting
 * @param inFlight              ApproximateNumberOfMessagesNotVisible: received, not yet deleted
 * @param delayed               ApproximateNumberOfMessagesDelayed
 * @param dlq                   DLQ name, null if none was found
 * @param dlqVisible            messages in the DLQ
 * @param oldestAgeSeconds      age of the oldest message seen by a peek; null when not measured
 * @param dlqOldestAgeSeconds   age of the oldest DLQ message seen by a peek; null when empty or not measured
 * @param at                    when measured
 */
public record QueueSnapshot(String queue, long visible, long inFlight, long delayed, String dlq, Long dlqVisible,
                            Long oldestAgeSeconds, Long dlqOldestAgeSeconds, Instant at) {
    /** No message waiting, in flight or delayed. */
    public boolean empty() {
        return visible == 0 && inFlight == 0 && delayed == 0;
    }
}
