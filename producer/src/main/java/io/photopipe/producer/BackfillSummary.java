package io.photopipe.producer;

import java.time.Duration;
import java.util.List;

/**
 * What a backfill did.
 *
 * @param state            {@code finished}, {@code dry-run}, {@code stopped} (Ctrl-C: resumable) or {@code aborted}
 * @param source           what was read
 * @param queueUrl         where messages went
 * @param listed           objects read from the source in this run
 * @param matched          of those, objects the filters kept
 * @param matchedBytes     their total size
 * @param filteredOut      objects the filters dropped
 * @param alreadyDone      objects a previous run had enqueued (resume)
 * @param sent             messages SQS accepted in this run
 * @param failed           objects that could not be enqueued in this run
 * @param batches          SendMessageBatch batches in this run
 * @param retriedEntries   entries re-sent after SQS reported them failed (or the call failed)
 * @param totalSent        messages accepted over all runs of this checkpoint
 * @param totalFailed      failures over all runs of this checkpoint
 * @param failures         the first failures, with reasons
 * @param firstKeys        the first matching keys (dry run)
 * @param elapsed          wall time of this run
 * @param messagesPerSecond sent / elapsed
 * @param checkpoint       the checkpoint file, if any
 */
public record BackfillSummary(String state, String source, String queueUrl, long listed, long matched,
                              long matchedBytes, long filteredOut, long alreadyDone, long sent, long failed,
                              long batches, long retriedEntries, long totalSent, long totalFailed,
                              List<SendResult.Failure> failures, List<String> firstKeys, Duration elapsed,
                              double messagesPerSecond, String checkpoint) {
}
