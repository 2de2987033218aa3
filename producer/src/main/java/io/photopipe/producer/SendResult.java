package io.photopipe.producer;

import java.util.List;

/**
 * What became of the messages of one {@link BatchSender#send} call: each message is either sent or failed, never
 * both, never neither.
 *
 * @param sent           ids of messages SQS accepted
 * @param failed         messages that are not in the queue, with why
 * @param retriedEntries how many entry re-sends it took (0 when every entry went through at once)
 */
public record SendResult(List<String> sent, List<Failure> failed, int retriedEntries) {
    public SendResult {
        sent = List.copyOf(sent);
        failed = List.copyOf(failed);
    }

    /**
     * A message that could not be sent.
     *
     * @param id        the caller's id
     * @param code      SQS's error code, or ours ({@code MessageTooLarge}, {@code RetriesExhausted})
     * @param message   SQS's explanation
     * @param permanent true if sending it again cannot succeed
     */
    public record Failure(String id, String code, String message, boolean permanent) {
    }
}
