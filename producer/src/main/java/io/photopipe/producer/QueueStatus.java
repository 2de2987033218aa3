package io.photopipe.producer;

import com.fasterxml.jackson.databind.JsonNode;
import io.photopipe.producer.internal.Json;
import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

/**
 * Reads queue depth, in-flight count and DLQ depth. SQS has no "age of oldest message" attribute (that is a
 * CloudWatch metric), so the age is measured by peeking: a receive with visibility timeout 0 reading
 * {@code SentTimestamp}. The DLQ is always peeked (it has no redrive policy, so receives do not count against
 * anything); the main queue only when asked, because each peek counts as a receive towards its maxReceiveCount.
 */
public final class QueueStatus {
    private final SqsClient sqs;
    private final String queueUrl;
    private final String dlqUrl;
    private final boolean peekQueue;

    /**
     * @param dlqUrl    the DLQ, null if none
     * @param peekQueue also peek the main queue for the age of its oldest message
     */
    public QueueStatus(SqsClient sqs, String queueUrl, String dlqUrl, boolean peekQueue) {
        this.sqs = Objects.requireNonNull(sqs, "sqs");
        this.queueUrl = Objects.requireNonNull(queueUrl, "queueUrl");
        this.dlqUrl = dlqUrl;
        this.peekQueue = peekQueue;
    }

    /**
     * The DLQ of a queue: the target of its RedrivePolicy, else the named fallback if it exists, else null.
     */
    public static String findDlq(SqsClient sqs, String queueUrl, String fallbackName) {
        String policy = Queues.attributes(sqs, queueUrl).get(QueueAttributeName.REDRIVE_POLICY);
        String name = fallbackName;
        if (policy != null && !policy.isBlank()) {
            try {
                JsonNode p = Json.MAPPER.readTree(policy);
                String arn = p.path("deadLetterTargetArn").asText("");
                if (!arn.isEmpty()) {
                    name = arn.substring(arn.lastIndexOf(':') + 1);
                }
            } catch (IOException e) {
                // fall back to the name from the settings
            }
        }
        if (name == null) {
            return null;
        }
        try {
            String n = name;
            return sqs.getQueueUrl(r -> r.queueName(n)).queueUrl();
        } catch (QueueDoesNotExistException e) {
            return null;
        }
    }

    /** The state now. */
    public QueueSnapshot snapshot() {
        Map<QueueAttributeName, String> a = Queues.attributes(sqs, queueUrl);
        Long dlqVisible = null;
        Long dlqAge = null;
        if (dlqUrl != null) {
            Map<QueueAttributeName, String> d = Queues.attributes(sqs, dlqUrl);
            dlqVisible = count(d, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES);
            dlqAge = dlqVisible > 0 ? oldestAge(dlqUrl) : null;
        }
        long visible = count(a, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES);
        Long age = peekQueue && visible > 0 ? oldestAge(queueUrl) : null;
        return new QueueSnapshot(Queues.name(queueUrl), visible,
                count(a, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE),
                count(a, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED),
                dlqUrl == null ? null : Queues.name(dlqUrl), dlqVisible, age, dlqAge, Instant.now());
    }

    private Long oldestAge(String url) {
        var messages = sqs.receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(10).visibilityTimeout(0)
                .waitTimeSeconds(0).messageSystemAttributeNames(MessageSystemAttributeName.SENT_TIMESTAMP)).messages();
        long now = System.currentTimeMillis();
        Long oldest = null;
        for (Message m : messages) {
            String sent = m.attributes().get(MessageSystemAttributeName.SENT_TIMESTAMP);
            if (sent != null) {
                long age = Math.max(0, (now - Long.parseLong(sent)) / 1000);
                oldest = oldest == null ? age : Math.max(oldest, age);
            }
        }
        return oldest;
    }

    private static long count(Map<QueueAttributeName, String> a, QueueAttributeName name) {
        String v = a.get(name);
        return v == null ? 0 : Long.parseLong(v);
    }
}
