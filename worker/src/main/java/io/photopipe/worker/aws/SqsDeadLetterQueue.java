package io.photopipe.worker.aws;

import io.photopipe.worker.ports.DeadLetterQueue;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * {@link DeadLetterQueue} as an SQS SendMessage to the DLQ. The worker moves permanent failures itself, at once and
 * with a reason, instead of letting the queue's redrive policy do it after {@code maxReceiveCount} failed
 * deliveries (which burns retries and carries no reason), and on a message's last delivery it moves what would fail
 * again. The redrive policy stays as the safety net for messages the worker never answers (crashes, timeouts); the
 * photo's attempt record then names what happened.
 */
public final class SqsDeadLetterQueue implements DeadLetterQueue {
    private final SqsClient sqs;
    private final String queueUrl;
    private final CallGuard guard;

    public SqsDeadLetterQueue(SqsClient sqs, String queueUrl, CallGuard guard) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.guard = guard;
    }

    @Override
    public String send(String body, Map<String, String> attributes) {
        Map<String, MessageAttributeValue> attrs = new LinkedHashMap<>();
        attributes.forEach((k, v) -> attrs.put(k, MessageAttributeValue.builder().dataType("String").stringValue(v)
                .build()));
        return guard.call("SendMessage to the DLQ " + queueUrl, () -> sqs.sendMessage(b -> b.queueUrl(queueUrl)
                .messageBody(body).messageAttributes(attrs)).messageId());
    }
}
