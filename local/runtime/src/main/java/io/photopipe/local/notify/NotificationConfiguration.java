package io.photopipe.local.notify;

import io.photopipe.core.PipelineSettings;
import java.util.List;
import java.util.Objects;

/**
 * A bucket's notification configuration (its queue configurations). Validated as S3 validates
 * {@code PutBucketNotificationConfiguration}: two rules that share an event type may not have overlapping prefixes
 * and overlapping suffixes, since one object would then match both
 * (<a href="https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-how-to-filtering.html">overlapping
 * prefixes and suffixes are not valid</a>).
 */
public record NotificationConfiguration(String bucket, List<NotificationRule> rules) {

    /** The id of the rule {@link #forPipeline} creates. */
    public static final String PIPELINE_RULE_ID = "photopipe-uploads";

    public NotificationConfiguration {
        Objects.requireNonNull(bucket, "bucket");
        rules = rules == null ? List.of() : List.copyOf(rules);
        for (int i = 0; i < rules.size(); i++) {
            for (int j = i + 1; j < rules.size(); j++) {
                NotificationRule a = rules.get(i);
                NotificationRule b = rules.get(j);
                if (a.id().equals(b.id())) {
                    throw new IllegalArgumentException("bucket " + bucket + ": notification rule id '" + a.id()
                            + "' is used twice");
                }
                boolean prefixesOverlap = a.prefix().startsWith(b.prefix()) || b.prefix().startsWith(a.prefix());
                boolean suffixesOverlap = a.suffix().endsWith(b.suffix()) || b.suffix().endsWith(a.suffix());
                if (a.sharesEventTypeWith(b) && prefixesOverlap && suffixesOverlap) {
                    // S3's own message for this case (InvalidArgument).
                    throw new IllegalArgumentException("bucket " + bucket + ": rules '" + a.id() + "' and '"
                            + b.id() + "': Configuration is ambiguously defined. Cannot have overlapping suffixes in"
                            + " two rules if the prefixes are overlapping for the same event type.");
                }
            }
        }
    }

    /**
     * The pipeline's configuration: every object created or removed under the input prefix goes to the upload
     * queue, as the CDK app configures the real bucket. Renditions (under the output prefix) never notify.
     */
    public static NotificationConfiguration forPipeline(PipelineSettings settings, String uploadQueueArn) {
        return new NotificationConfiguration(settings.bucket(), List.of(new NotificationRule(PIPELINE_RULE_ID,
                List.of("s3:ObjectCreated:*", "s3:ObjectRemoved:*"), settings.inputPrefix(), "", uploadQueueArn)));
    }

    /** The rules that match an event, in configuration order. */
    public List<NotificationRule> matching(String eventName, String key) {
        return rules.stream().filter(r -> r.matches(eventName, key)).toList();
    }
}
