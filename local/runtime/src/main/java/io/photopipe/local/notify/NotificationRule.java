package io.photopipe.local.notify;

import java.util.List;
import java.util.Objects;

/**
 * One queue configuration of a bucket's notification configuration, as in
 * <a href="https://docs.aws.amazon.com/AmazonS3/latest/API/API_QueueConfiguration.html">QueueConfiguration</a>:
 * which events go to which queue, filtered by key prefix and suffix
 * (<a href="https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-how-to-filtering.html">Configuring
 * event notifications using object key name filtering</a>).
 *
 * @param id       the configuration id; it becomes {@code s3.configurationId} in each record
 * @param events   event types such as {@code s3:ObjectCreated:*} or {@code s3:ObjectRemoved:Delete}
 * @param prefix   keys must start with it ("" for any)
 * @param suffix   keys must end with it ("" for any)
 * @param queueArn the target queue, {@code arn:aws:sqs:REGION:ACCOUNT:NAME}
 */
public record NotificationRule(String id, List<String> events, String prefix, String suffix, String queueArn) {

    public NotificationRule {
        Objects.requireNonNull(id, "id");
        if (events == null || events.isEmpty()) {
            throw new IllegalArgumentException("notification rule '" + id + "': events must name at least one of "
                    + S3EventNames.CONFIGURABLE);
        }
        events = List.copyOf(events);
        for (String e : events) {
            if (!S3EventNames.CONFIGURABLE.contains(e)) {
                throw new IllegalArgumentException("notification rule '" + id + "': event '" + e
                        + "' is not one of " + S3EventNames.CONFIGURABLE);
            }
        }
        prefix = prefix == null ? "" : prefix;
        suffix = suffix == null ? "" : suffix;
        if (queueArn == null || !queueArn.startsWith("arn:aws:sqs:") || queueArn.split(":", -1).length != 6) {
            throw new IllegalArgumentException("notification rule '" + id + "': queueArn '" + queueArn
                    + "' must look like arn:aws:sqs:REGION:ACCOUNT:QUEUE_NAME");
        }
    }

    /** The queue name at the end of the ARN. */
    public String queueName() {
        return queueArn.substring(queueArn.lastIndexOf(':') + 1);
    }

    /** Whether an event of this type (without {@code s3:}) on this key goes to this rule's queue. */
    public boolean matches(String eventName, String key) {
        return matchesEvent(eventName) && key.startsWith(prefix) && key.endsWith(suffix);
    }

    boolean matchesEvent(String eventName) {
        String full = "s3:" + eventName;
        for (String e : events) {
            if (e.endsWith(":*") ? full.startsWith(e.substring(0, e.length() - 1)) : e.equals(full)) {
                return true;
            }
        }
        return false;
    }

    /** Whether this rule and another could both match one event type (used to reject ambiguous configurations). */
    boolean sharesEventTypeWith(NotificationRule other) {
        for (String mine : events) {
            for (String theirs : other.events) {
                if (covers(mine, theirs) || covers(theirs, mine)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean covers(String pattern, String type) {
        return pattern.endsWith(":*") ? type.startsWith(pattern.substring(0, pattern.length() - 1))
                : pattern.equals(type);
    }
}
