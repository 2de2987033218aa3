package io.photopipe.local.stack.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageRequest;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;

/**
 * Approximates CloudWatch's {@code ApproximateAgeOfOldestMessage} for the upload queue, which SQS (and ElasticMQ)
 * do not offer as a queue attribute: it watches the event source mapping's SQS client, remembers the
 * {@code SentTimestamp} of every message received and not yet deleted, and reports the age of the oldest. A message
 * whose visibility timeout passed without a delete is forgotten (it is back in the queue and counted again when
 * received again), so the figure is a lower bound while the queue holds messages nobody has received yet.
 */
public final class QueueAgeTracker implements ExecutionInterceptor {
    private record Held(Instant sent, Instant visibleAgain) {
    }

    private final Clock clock;
    private final Duration visibilityTimeout;
    private final Map<String, Held> inFlight = new ConcurrentHashMap<>();

    public QueueAgeTracker(Duration visibilityTimeout) {
        this(visibilityTimeout, Clock.systemUTC());
    }

    QueueAgeTracker(Duration visibilityTimeout, Clock clock) {
        this.visibilityTimeout = visibilityTimeout;
        this.clock = clock;
    }

    @Override
    public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attributes) {
        if (context.request() instanceof ReceiveMessageRequest r && !r.messageSystemAttributeNames()
                .contains(MessageSystemAttributeName.ALL)
                && !r.messageSystemAttributeNames().contains(MessageSystemAttributeName.SENT_TIMESTAMP)) {
            List<MessageSystemAttributeName> names = new ArrayList<>(r.messageSystemAttributeNames());
            names.add(MessageSystemAttributeName.SENT_TIMESTAMP);
            return r.toBuilder().messageSystemAttributeNames(names).build();
        }
        return context.request();
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        Instant now = clock.instant();
        if (context.response() instanceof ReceiveMessageResponse response) {
            Duration visibility = context.request() instanceof ReceiveMessageRequest r && r.visibilityTimeout() != null
                    ? Duration.ofSeconds(r.visibilityTimeout()) : visibilityTimeout;
            for (Message m : response.messages()) {
                String sent = m.attributes().get(MessageSystemAttributeName.SENT_TIMESTAMP);
                Instant sentAt = sent == null ? now : Instant.ofEpochMilli(Long.parseLong(sent));
                inFlight.put(m.receiptHandle(), new Held(sentAt, now.plus(visibility)));
            }
        } else if (context.request() instanceof DeleteMessageRequest d) {
            inFlight.remove(d.receiptHandle());
        } else if (context.request() instanceof DeleteMessageBatchRequest d) {
            for (DeleteMessageBatchRequestEntry e : d.entries()) {
                inFlight.remove(e.receiptHandle());
            }
        }
    }

    /** The age of the oldest message received and not yet deleted; zero when there is none. */
    public Duration oldestAge() {
        Instant now = clock.instant();
        inFlight.values().removeIf(h -> h.visibleAgain().isBefore(now));
        return inFlight.values().stream().map(Held::sent).min(Instant::compareTo)
                .map(sent -> Duration.between(sent, now)).filter(d -> !d.isNegative()).orElse(Duration.ZERO);
    }

    /** Messages received and not yet deleted. */
    public int tracked() {
        return inFlight.size();
    }
}
