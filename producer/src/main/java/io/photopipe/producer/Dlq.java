package io.photopipe.producer;

import io.photopipe.producer.internal.Progress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * Reads the DLQ without consuming it: messages are received with a visibility timeout (so one pass sees each once)
 * and made visible again at the end. Receives in a DLQ count for nothing: a DLQ has no redrive policy of its own.
 */
public final class Dlq {
    private final SqsClient sqs;
    private final String dlqUrl;
    private final int visibilitySeconds;
    private final UnaryOperator<DlqMessage> explain;

    /**
     * @param visibilitySeconds how long peeked messages stay hidden if the peek dies before releasing them
     */
    public Dlq(SqsClient sqs, String dlqUrl, int visibilitySeconds) {
        this(sqs, dlqUrl, visibilitySeconds, UnaryOperator.identity());
    }

    /**
     * @param explain names the reason of messages without the worker's ({@link DlqReasons}), for
     *                {@link #purgeReason}
     */
    public Dlq(SqsClient sqs, String dlqUrl, int visibilitySeconds, UnaryOperator<DlqMessage> explain) {
        this.sqs = Objects.requireNonNull(sqs, "sqs");
        this.dlqUrl = Objects.requireNonNull(dlqUrl, "dlqUrl");
        this.visibilitySeconds = visibilitySeconds;
        this.explain = Objects.requireNonNull(explain, "explain");
    }

    /**
     * A count of messages of one reason.
     *
     * @param reasonCode the worker's reason code
     * @param count      messages
     * @param reason     the reason text of the first one
     * @param objects    the first few objects
     * @param messageIds the first few message ids (for {@code dlq show})
     */
    public record ReasonGroup(String reasonCode, long count, String reason, List<String> objects,
                              List<String> messageIds) {
    }

    /**
     * Up to {@code max} messages, each once, then released (visible again).
     */
    public List<DlqMessage> peek(int max, Progress progress) {
        Map<String, DlqMessage> seen = new LinkedHashMap<>();
        List<Message> toRelease = new ArrayList<>();
        try {
            int emptyInARow = 0;
            while (seen.size() < max && emptyInARow < 2) {
                int n = Math.min(10, max - seen.size());
                List<Message> batch = receive(n);
                emptyInARow = batch.isEmpty() ? emptyInARow + 1 : 0;
                for (Message m : batch) {
                    toRelease.add(m);
                    if (seen.putIfAbsent(m.messageId(), DlqMessage.of(m)) == null) {
                        progress.step(1);
                    }
                }
            }
        } finally {
            release(toRelease);
        }
        return new ArrayList<>(seen.values());
    }

    /** The message with this id (or original message id), if it is in the DLQ. */
    public Optional<DlqMessage> find(String id, int max) {
        return peek(max, Progress.none()).stream()
                .filter(m -> m.messageId().equals(id)
                        || id.equals(m.attributes().get(io.photopipe.core.MessageAttributes.ORIGINAL_MESSAGE_ID)))
                .findFirst();
    }

    /** Groups messages by reason code, largest group first. */
    public static List<ReasonGroup> group(List<DlqMessage> messages) {
        Map<String, List<DlqMessage>> by = new LinkedHashMap<>();
        for (DlqMessage m : messages) {
            by.computeIfAbsent(m.reasonCode(), k -> new ArrayList<>()).add(m);
        }
        return by.entrySet().stream().map(e -> new ReasonGroup(e.getKey(), e.getValue().size(),
                        e.getValue().getFirst().reason(),
                        e.getValue().stream().map(DlqMessage::object).filter(Objects::nonNull).limit(5).toList(),
                        e.getValue().stream().map(DlqMessage::messageId).limit(5).toList()))
                .sorted(Comparator.comparingLong(ReasonGroup::count).reversed().thenComparing(ReasonGroup::reasonCode))
                .toList();
    }

    /**
     * Deletes every message with the reason code, or of its family ({@code retries-exhausted} takes every
     * {@code retries-exhausted:<cause>}), receiving and deleting; returns how many.
     */
    public long purgeReason(String reasonCode, Progress progress) {
        long deleted = 0;
        List<Message> keep = new ArrayList<>();
        try {
            int emptyInARow = 0;
            while (emptyInARow < 2) {
                List<Message> batch = receive(10);
                emptyInARow = batch.isEmpty() ? emptyInARow + 1 : 0;
                List<Message> drop = new ArrayList<>();
                for (Message m : batch) {
                    (explain.apply(DlqMessage.of(m)).hasReason(reasonCode) ? drop : keep).add(m);
                }
                if (!drop.isEmpty()) {
                    List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>();
                    for (int i = 0; i < drop.size(); i++) {
                        entries.add(DeleteMessageBatchRequestEntry.builder().id("d" + i)
                                .receiptHandle(drop.get(i).receiptHandle()).build());
                    }
                    int ok = sqs.deleteMessageBatch(r -> r.queueUrl(dlqUrl).entries(entries)).successful().size();
                    deleted += ok;
                    progress.step(ok);
                }
            }
        } finally {
            release(keep);
        }
        return deleted;
    }

    /** Deletes every message in the DLQ with PurgeQueue (allowed once a minute on AWS). */
    public void purgeAll() {
        sqs.purgeQueue(r -> r.queueUrl(dlqUrl));
    }

    List<Message> receive(int n) {
        return sqs.receiveMessage(r -> r.queueUrl(dlqUrl).maxNumberOfMessages(n).waitTimeSeconds(1)
                .visibilityTimeout(visibilitySeconds).messageAttributeNames("All")
                .messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
    }

    /** Makes the messages visible again at once. */
    void release(List<Message> messages) {
        for (int from = 0; from < messages.size(); from += 10) {
            List<Message> chunk = messages.subList(from, Math.min(messages.size(), from + 10));
            List<ChangeMessageVisibilityBatchRequestEntry> entries = new ArrayList<>();
            for (int i = 0; i < chunk.size(); i++) {
                entries.add(ChangeMessageVisibilityBatchRequestEntry.builder().id("v" + i)
                        .receiptHandle(chunk.get(i).receiptHandle()).visibilityTimeout(0).build());
            }
            try {
                sqs.changeMessageVisibilityBatch(r -> r.queueUrl(dlqUrl).entries(entries));
            } catch (RuntimeException e) {
                // they become visible again when their visibility timeout ends anyway
            }
        }
    }
}
