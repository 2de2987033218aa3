package io.photopipe.local.notify;

import io.photopipe.core.S3EventMessages;
import io.photopipe.local.notify.internal.Sequencer;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The notification side of the local S3: holds each bucket's {@link NotificationConfiguration}, turns every object
 * event that matches a rule into the message S3 would send to that rule's queue (one record per message, as S3
 * does) and stores it in the {@link Outbox}; an {@link OutboxSender} delivers it.
 */
public final class BucketNotifications implements S3EventListener {
    private final Outbox outbox;
    private final String region;
    private final Runnable onAppend;
    private final Sequencer sequencer = new Sequencer();
    private final Map<String, NotificationConfiguration> configurations = new ConcurrentHashMap<>();
    private final AtomicLong emitted = new AtomicLong();
    private final AtomicLong filtered = new AtomicLong();

    /**
     * @param outbox   where messages wait for SQS
     * @param region   the region written into records
     * @param onAppend called after each message is stored (wakes the sender)
     */
    public BucketNotifications(Outbox outbox, String region, Runnable onAppend) {
        this.outbox = outbox;
        this.region = region;
        this.onAppend = onAppend == null ? () -> { } : onAppend;
    }

    /**
     * Sets a bucket's configuration, replacing any previous one. Like S3, sends an {@code s3:TestEvent} message to
     * each queue of the new configuration
     * (<a href="https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-content-structure.html">"When you
     * configure an event notification on a bucket, Amazon S3 sends the following test message"</a>) - unless
     * {@code sendTestEvent} is false, which the stack uses when it re-applies an unchanged configuration on restart.
     */
    public void configure(NotificationConfiguration configuration, boolean sendTestEvent) {
        configurations.put(configuration.bucket(), configuration);
        if (sendTestEvent) {
            Set<String> queues = new LinkedHashSet<>();
            configuration.rules().forEach(r -> queues.add(r.queueArn()));
            for (String queueArn : queues) {
                outbox.append(queueArn, S3EventMessages.testEvent(configuration.bucket(), Instant.now(),
                        requestId()));
                onAppend.run();
            }
        }
    }

    /** The bucket's configuration; empty when none is set. */
    public NotificationConfiguration configuration(String bucket) {
        return configurations.getOrDefault(bucket, new NotificationConfiguration(bucket, List.of()));
    }

    @Override
    public void objectEvent(String bucket, String eventName, String key, Long size, String eTag, String versionId) {
        List<NotificationRule> rules = configuration(bucket).matching(eventName, key);
        if (rules.isEmpty()) {
            filtered.incrementAndGet();
            return;
        }
        String sequencerValue = sequencer.next();
        String requestId = requestId();
        Instant now = Instant.now();
        boolean removal = eventName.startsWith("ObjectRemoved:");
        for (NotificationRule rule : rules) {
            String body = S3EventMessages.notification(List.of(new S3EventMessages.ObjectEvent(eventName, now,
                    region, bucket, key, removal ? null : size, removal ? null : eTag, versionId, sequencerValue,
                    null, rule.id(), null, requestId)));
            outbox.append(rule.queueArn(), body);
            emitted.incrementAndGet();
            onAppend.run();
        }
    }

    /** Messages stored for delivery since start (test events excluded). */
    public long emitted() {
        return emitted.get();
    }

    /** Object events that matched no rule. */
    public long filtered() {
        return filtered.get();
    }

    private static String requestId() {
        return String.format("%016X", ThreadLocalRandom.current().nextLong());
    }
}
