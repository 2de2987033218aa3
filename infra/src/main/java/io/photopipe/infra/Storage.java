package io.photopipe.infra;

import io.photopipe.core.OutputLayout;
import io.photopipe.core.PipelineSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.CfnBucket;
import software.amazon.awscdk.services.s3.CorsRule;
import software.amazon.awscdk.services.s3.HttpMethods;
import software.amazon.awscdk.services.s3.LifecycleRule;
import software.amazon.awscdk.services.s3.ObjectOwnership;
import software.amazon.awscdk.services.iam.AddToResourcePolicyResult;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.sqs.Queue;
import software.constructs.Construct;

/**
 * The photo bucket (and the output bucket when the settings name a separate one), hardened, with the event
 * notifications that feed the upload queue.
 *
 * <p>The notification is declared natively on {@code AWS::S3::Bucket} rather than through the CDK's
 * notifications custom resource: the bucket's name comes from the settings, so the queue policy can name the bucket's
 * ARN without referring to the bucket resource, and the bucket simply depends on the policy (S3 checks that it may
 * send when the configuration is put). No helper Lambda function, no {@code s3:PutBucketNotification} on {@code *}.
 */
public final class Storage extends Construct {

    /** The default bucket name is certainly taken on AWS: bucket names are global. */
    static final String DEFAULT_BUCKET = "photopipe-photos";

    private final Bucket bucket;
    private final Bucket outputBucket;

    public Storage(Construct scope, String id, PipelineSettings settings, DeployOptions options, Queue uploads) {
        super(scope, id);
        boolean oneBucket = settings.effectiveOutputBucket().equals(settings.bucket());
        bucket = bucket("Photos", settings.bucket(), settings.api().corsOrigins(), options,
                oneBucket ? settings.layout().apiRecordsPrefix() : null);
        if (settings.bucket().equals(DEFAULT_BUCKET)) {
            Annotations.of(bucket).addWarningV2("photopipe:default-bucket-name",
                    "The bucket is named '" + DEFAULT_BUCKET + "' (the default of PipelineSettings); S3 bucket names "
                            + "are global, so set \"bucket\" to a name of your own in photopipe.json before deploying.");
        }
        outputBucket = oneBucket
                ? bucket
                : bucket("Renditions", settings.effectiveOutputBucket(), List.of(), options,
                        settings.layout().apiRecordsPrefix());
        notifyQueue(settings, uploads);
    }

    /**
     * {@code s3:ListBucket} on the bucket(s), without a prefix condition. S3 answers a GET or HEAD of a missing key
     * with 404 only to a principal allowed to list the bucket, and with 403 AccessDenied to anyone else
     * (<a href="https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html">GetObject, "Permissions"</a>);
     * that check is not a listing with a prefix, so the grant carries no {@code s3:prefix} condition. Both functions
     * depend on that 404: the worker for a source deleted before it ran (skipped), a photo's first status read and
     * the idempotency HEAD of its renditions; the API for "pending" and "no such upload". Listing shows key names
     * only, of a bucket whose objects these functions read anyway.
     */
    static PolicyStatement listForNotFound(String sid, Storage storage) {
        List<String> buckets = storage.outputBucket() == storage.bucket()
                ? List.of(storage.bucket().getBucketArn())
                : List.of(storage.bucket().getBucketArn(), storage.outputBucket().getBucketArn());
        return PolicyStatement.Builder.create()
                .sid(sid)
                .actions(List.of("s3:ListBucket"))
                .resources(buckets)
                .build();
    }

    /** The bucket photos are uploaded to. */
    public Bucket bucket() {
        return bucket;
    }

    /** The bucket renditions are written to: {@link #bucket()} unless the settings name another one. */
    public Bucket outputBucket() {
        return outputBucket;
    }

    /**
     * The CORS rule that lets pages on {@code origins} upload with a presigned request straight from the browser
     * (and show renditions): PUT with its signed headers, POST forms, GET and HEAD.
     */
    static CorsRule uploadCors(List<String> origins) {
        return CorsRule.builder()
                .allowedOrigins(origins)
                .allowedMethods(List.of(HttpMethods.PUT, HttpMethods.POST, HttpMethods.GET, HttpMethods.HEAD))
                .allowedHeaders(List.of("*"))
                .exposedHeaders(List.of("ETag"))
                .maxAge(3000)
                .build();
    }

    private Bucket bucket(String id, String name, List<String> corsOrigins, DeployOptions options,
                          String apiRecordsPrefix) {
        Bucket.Builder b = Bucket.Builder.create(this, id)
                .bucketName(name)
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED)
                .encryption(BucketEncryption.S3_MANAGED)
                .enforceSsl(true)
                .minimumTlsVersion(1.2)
                .versioned(options.versioned())
                .lifecycleRules(lifecycle(options.versioned(), apiRecordsPrefix))
                .removalPolicy(options.autoDeleteObjects() ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN)
                .autoDeleteObjects(options.autoDeleteObjects());
        if (!corsOrigins.isEmpty()) {
            // The upload page PUTs (or POSTs) straight to S3 from the browser with a presigned request. No origin
            // by default: a page elsewhere needs its origin in api.corsOrigins.
            b.cors(List.of(uploadCors(corsOrigins)));
        }
        return b.build();
    }

    /**
     * What an abandoned upload leaves, expired: parts of multipart uploads never completed, and the API's records
     * (upload tickets and per-client counters, under {@code apiRecordsPrefix} with the expiring tag, in the output
     * bucket) a day after they were written. The tag keeps the rule off renditions of a source that happens to be
     * named like the prefix. In a versioned bucket, old versions expire too, and so do delete markers left alone.
     */
    private static List<LifecycleRule> lifecycle(boolean versioned, String apiRecordsPrefix) {
        List<LifecycleRule> rules = new ArrayList<>();
        LifecycleRule.Builder uploads = LifecycleRule.builder()
                .id("abort-incomplete-multipart-uploads")
                // Parts of abandoned multipart uploads are billed until aborted; a day is the shortest a rule allows:
                // https://docs.aws.amazon.com/AmazonS3/latest/userguide/mpu-abort-incomplete-mpu-lifecycle-config.html
                .abortIncompleteMultipartUploadAfter(Duration.days(1));
        if (versioned) {
            // Replaced renditions and deleted photos would otherwise be kept (and billed) for ever.
            uploads.noncurrentVersionExpiration(Duration.days(30)).expiredObjectDeleteMarker(true);
        }
        rules.add(uploads.build());
        if (apiRecordsPrefix != null) {
            LifecycleRule.Builder records = LifecycleRule.builder()
                    .id("expire-api-records")
                    .prefix(apiRecordsPrefix)
                    .tagFilters(Map.of(OutputLayout.EXPIRING_TAG, OutputLayout.EXPIRING_TAG_VALUE))
                    // https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-configuration-examples.html
                    .expiration(Duration.days(1));
            if (versioned) {
                records.noncurrentVersionExpiration(Duration.days(1));
            }
            rules.add(records.build());
        }
        return rules;
    }

    private void notifyQueue(PipelineSettings settings, Queue uploads) {
        String bucketArn = "arn:" + Aws.PARTITION + ":s3:::" + settings.bucket();
        // Only this bucket, in this account, may send: the confused-deputy guard of
        // https://docs.aws.amazon.com/AmazonS3/latest/userguide/ways-to-add-notification-config-to-bucket.html
        AddToResourcePolicyResult allowed = uploads.addToResourcePolicy(PolicyStatement.Builder.create()
                .sid("AllowPhotoBucketNotifications")
                .effect(Effect.ALLOW)
                .principals(List.of(new ServicePrincipal("s3.amazonaws.com")))
                .actions(List.of("sqs:SendMessage"))
                .resources(List.of(uploads.getQueueArn()))
                .conditions(java.util.Map.of(
                        "ArnEquals", java.util.Map.of("aws:SourceArn", bucketArn),
                        "StringEquals", java.util.Map.of("aws:SourceAccount", Aws.ACCOUNT_ID)))
                .build());

        // Filtered to the input prefix, so renditions (under the output prefix) can never trigger the worker.
        CfnBucket.NotificationFilterProperty filter = settings.inputPrefix().isEmpty() ? null
                : CfnBucket.NotificationFilterProperty.builder()
                        .s3Key(CfnBucket.S3KeyFilterProperty.builder()
                                .rules(List.of(CfnBucket.FilterRuleProperty.builder()
                                        .name("prefix").value(settings.inputPrefix()).build()))
                                .build())
                        .build();
        List<Object> configs = List.of("s3:ObjectCreated:*", "s3:ObjectRemoved:*").stream()
                .map(event -> (Object) CfnBucket.QueueConfigurationProperty.builder()
                        .event(event).queue(uploads.getQueueArn()).filter(filter).build())
                .toList();
        CfnBucket cfn = (CfnBucket) bucket.getNode().getDefaultChild();
        cfn.setNotificationConfiguration(CfnBucket.NotificationConfigurationProperty.builder()
                .queueConfigurations(configs).build());
        bucket.getNode().addDependency(allowed.getPolicyDependable());
    }
}
