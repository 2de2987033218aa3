package io.photopipe.infra;

import io.photopipe.core.FunctionEnv;
import io.photopipe.core.PipelineSettings;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.lambda.SnapStartConf;
import software.amazon.awscdk.services.lambda.eventsources.SqsEventSource;
import software.amazon.awscdk.services.lambda.eventsources.SqsEventSourceProps;
import software.amazon.awscdk.services.s3.IBucket;
import software.constructs.Construct;

/**
 * The worker function: Java 25 with SnapStart on a published version behind the alias {@value #ALIAS}, the SQS event
 * source mapping on that alias, and an execution role holding exactly what the worker does.
 */
public final class WorkerFunction extends Construct {

    /** The alias the event source mapping invokes; SnapStart applies to published versions only. */
    public static final String ALIAS = "live";
    /** The CloudWatch namespace the worker's Micrometer registry publishes to (the only one it may write). */
    public static final String METRICS_NAMESPACE = "photopipe";

    private final Function function;
    private final Alias alias;
    private final Role role;

    public WorkerFunction(Construct scope, String id, PipelineSettings settings, DeployOptions options,
                          Queues queues, Storage storage, java.nio.file.Path jar) {
        super(scope, id);
        PipelineSettings.Worker w = settings.worker();
        role = FunctionBase.role(this, "Role", "photopipe worker: reads photos, writes renditions, reports results");
        function = Function.Builder.create(this, "Function")
                .description("photopipe worker: S3 notifications through SQS become renditions")
                .runtime(Runtime.JAVA_25)
                .architecture(FunctionBase.architecture(w.architecture()))
                .memorySize(w.memoryMb())
                .timeout(Duration.seconds(w.timeoutSeconds()))
                .code(Code.fromAsset(jar.toString()))
                .handler(FunctionJars.WORKER_HANDLER)
                // Exactly what the local runtime sets: one definition in core.
                .environment(FunctionEnv.worker(settings, queues.dlq().getQueueUrl(), queues.results().getQueueUrl()))
                .snapStart(SnapStartConf.ON_PUBLISHED_VERSIONS)
                .role(role)
                .logGroup(FunctionBase.logGroup(this, "Logs", options.logRetentionDays(), role))
                .build();
        // The alias below publishes a version (SnapStart snapshots it); the CDK's reminder does not apply.
        Annotations.of(function).acknowledgeWarning("@aws-cdk/aws-lambda:snapStartRequirePublish",
                "a version is published through currentVersion and invoked through an alias");
        alias = Alias.Builder.create(this, "Alias")
                .aliasName(ALIAS)
                .version(function.getCurrentVersion())
                .build();
        grant(settings, queues, storage);
        // https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html (batching, partial batch
        // responses) and https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-scaling.html (maximum concurrency)
        alias.addEventSource(new SqsEventSource(queues.uploads(), SqsEventSourceProps.builder()
                .batchSize(w.batchSize())
                .maxBatchingWindow(Duration.seconds(w.batchingWindowSeconds()))
                .reportBatchItemFailures(true)
                .maxConcurrency(w.maxConcurrency())
                .enabled(true)
                .build()));
    }

    private void grant(PipelineSettings settings, Queues queues, Storage storage) {
        IBucket in = storage.bucket();
        IBucket out = storage.outputBucket();
        String outputObjects = out.arnForObjects(settings.outputPrefix() + "*");
        role.addToPolicy(PolicyStatement.Builder.create()
                .sid("ReadPhotosAndRenditions")
                .actions(List.of("s3:GetObject"))
                // Renditions and status documents too: a photo's status is read first, and a redelivered message is
                // skipped when its outputs already carry the source's ETag and preset hash.
                .resources(List.of(in.arnForObjects(settings.inputPrefix() + "*"), outputObjects))
                .build());
        role.addToPolicy(PolicyStatement.Builder.create()
                .sid("WriteAndDeleteRenditions")
                .actions(List.of("s3:PutObject", "s3:DeleteObject"))
                .resources(List.of(outputObjects))
                .build());
        // Lists a deleted photo's renditions, and makes missing keys answer 404 (see Storage.listForNotFound).
        role.addToPolicy(Storage.listForNotFound("ListRenditionsAndNotFound", storage));
        role.addToPolicy(PolicyStatement.Builder.create()
                .sid("SendToDlqAndResults")
                .actions(List.of("sqs:SendMessage"))
                .resources(List.of(queues.dlq().getQueueArn(), queues.results().getQueueArn()))
                .build());
        role.addToPolicy(PolicyStatement.Builder.create()
                .sid("PublishMetrics")
                .actions(List.of("cloudwatch:PutMetricData"))
                // PutMetricData has no resource-level permissions; the namespace condition is the narrowing:
                // https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/iam-cw-condition-keys-namespace.html
                .resources(List.of("*"))
                .conditions(Map.of("StringEquals", Map.of("cloudwatch:namespace", METRICS_NAMESPACE)))
                .build());
        // The event source mapping's own receive/delete (and the worker's ChangeMessageVisibility for backoff)
        // come from SqsEventSource's grantConsumeMessages on the upload queue.
    }

    /** The function (metrics such as Errors and Throttles aggregate over its versions). */
    public Function function() {
        return function;
    }

    /** The alias the event source mapping invokes. */
    public Alias alias() {
        return alias;
    }

    /** The execution role. */
    public Role role() {
        return role;
    }
}
