package io.photopipe.infra;

import static io.photopipe.infra.Cfn.arn;
import static io.photopipe.infra.Cfn.objects;
import static io.photopipe.infra.Cfn.props;
import static io.photopipe.infra.Cfn.ref;
import static org.assertj.core.api.Assertions.assertThat;

import io.photopipe.core.DeployedStack;
import io.photopipe.core.PipelineSettings;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/** The default deployment, synthesized once offline, property by property. */
class PhotopipeStackTest {

    static final PipelineSettings SETTINGS = PipelineSettings.defaults();
    static PhotopipeStack stack;
    static Template template;
    static Cfn cfn;
    static String bucket;
    static String uploads;
    static String dlq;
    static String results;

    @BeforeAll
    static void synthesize() {
        stack = TestStacks.stack(SETTINGS, DeployOptions.defaults());
        template = Template.fromStack(stack);
        cfn = new Cfn(template);
        bucket = cfn.only("AWS::S3::Bucket").getKey();
        uploads = cfn.idOf("AWS::SQS::Queue", "QueueName", SETTINGS.queue().name());
        dlq = cfn.idOf("AWS::SQS::Queue", "QueueName", SETTINGS.queue().dlqName());
        results = cfn.idOf("AWS::SQS::Queue", "QueueName", SETTINGS.queue().resultsName());
    }

    @Test
    void bucketIsPrivateEncryptedAndRetained() {
        template.hasResource("AWS::S3::Bucket", Map.of(
                "Properties", Match.objectLike(Map.of(
                        "BucketName", SETTINGS.bucket(),
                        "PublicAccessBlockConfiguration", Map.of("BlockPublicAcls", true, "BlockPublicPolicy", true,
                                "IgnorePublicAcls", true, "RestrictPublicBuckets", true),
                        "BucketEncryption", Map.of("ServerSideEncryptionConfiguration", List.of(Map.of(
                                "ServerSideEncryptionByDefault", Map.of("SSEAlgorithm", "AES256")))),
                        "OwnershipControls", Map.of("Rules", List.of(Map.of("ObjectOwnership", "BucketOwnerEnforced"))),
                        "LifecycleConfiguration", Map.of("Rules", List.of(Map.of(
                                "Id", "abort-incomplete-multipart-uploads", "Status", "Enabled",
                                "AbortIncompleteMultipartUpload", Map.of("DaysAfterInitiation", 7)))))),
                "DeletionPolicy", "Retain",
                "UpdateReplacePolicy", "Retain"));
        assertThat(props(cfn.resources().get(bucket))).doesNotContainKey("VersioningConfiguration");
    }

    @Test
    void bucketCorsAllowsTheConfiguredOriginsToUpload() {
        template.hasResourceProperties("AWS::S3::Bucket", Map.of("CorsConfiguration", Map.of("CorsRules", List.of(
                Map.of("AllowedOrigins", SETTINGS.api().corsOrigins(),
                        "AllowedMethods", List.of("PUT", "POST", "GET", "HEAD"),
                        "AllowedHeaders", List.of("*"), "ExposedHeaders", List.of("ETag"), "MaxAge", 3000)))));
    }

    @Test
    void bucketPolicyDeniesPlainHttpAndOldTls() {
        template.hasResourceProperties("AWS::S3::BucketPolicy", Map.of("PolicyDocument", Map.of(
                "Version", "2012-10-17",
                "Statement", List.of(
                        Map.of("Action", "s3:*", "Effect", "Deny", "Principal", Map.of("AWS", "*"),
                                "Condition", Map.of("Bool", Map.of("aws:SecureTransport", "false")),
                                "Resource", List.of(arn(bucket), objects(bucket, "*"))),
                        Map.of("Action", "s3:*", "Effect", "Deny", "Principal", Map.of("AWS", "*"),
                                "Condition", Map.of("NumericLessThan", Map.of("s3:TlsVersion", 1.2)),
                                "Resource", List.of(arn(bucket), objects(bucket, "*")))))));
    }

    @Test
    void notificationsCoverCreateAndRemoveUnderTheInputPrefixOnly() {
        Map<String, Object> filter = Map.of("S3Key", Map.of("Rules",
                List.of(Map.of("Name", "prefix", "Value", SETTINGS.inputPrefix()))));
        assertThat(props(cfn.resources().get(bucket)).get("NotificationConfiguration")).isEqualTo(Map.of(
                "QueueConfigurations", List.of(
                        Map.of("Event", "s3:ObjectCreated:*", "Queue", arn(uploads), "Filter", filter),
                        Map.of("Event", "s3:ObjectRemoved:*", "Queue", arn(uploads), "Filter", filter))));
        // S3 checks it may send when the configuration is put, so the policy must exist first.
        String queuePolicy = queuePolicyOf(uploads);
        assertThat(cfn.resources().get(bucket).get("DependsOn")).asInstanceOf(
                org.assertj.core.api.InstanceOfAssertFactories.LIST).contains(queuePolicy);
    }

    @Test
    void onlyThisBucketInThisAccountMaySendToTheUploadQueue() {
        Map<String, Object> policy = props(cfn.resources().get(queuePolicyOf(uploads)));
        assertThat(policy.get("PolicyDocument")).isEqualTo(Map.of("Version", "2012-10-17", "Statement", List.of(
                denyInsecure(uploads),
                Map.of("Sid", "AllowPhotoBucketNotifications", "Effect", "Allow",
                        "Principal", Map.of("Service", "s3.amazonaws.com"),
                        "Action", "sqs:SendMessage",
                        "Resource", arn(uploads),
                        "Condition", Map.of(
                                "ArnEquals", Map.of("aws:SourceArn", Map.of("Fn::Join", List.of("", List.of(
                                        "arn:", ref("AWS::Partition"), ":s3:::" + SETTINGS.bucket())))),
                                "StringEquals", Map.of("aws:SourceAccount", ref("AWS::AccountId")))))));
        for (String other : List.of(dlq, results)) {
            assertThat(props(cfn.resources().get(queuePolicyOf(other))).get("PolicyDocument")).isEqualTo(Map.of(
                    "Version", "2012-10-17", "Statement", List.of(denyInsecure(other))));
        }
    }

    @Test
    void queuesAreEncryptedWithRedriveAndMaximumDlqRetention() {
        Map<String, Object> q = props(cfn.resources().get(uploads));
        assertThat(q).containsEntry("VisibilityTimeout", SETTINGS.queue().visibilityTimeoutSeconds())
                .containsEntry("MessageRetentionPeriod", SETTINGS.queue().retentionSeconds())
                .containsEntry("SqsManagedSseEnabled", true)
                .containsEntry("RedrivePolicy", Map.of("deadLetterTargetArn", arn(dlq),
                        "maxReceiveCount", SETTINGS.queue().maxReceiveCount()));
        assertThat(props(cfn.resources().get(dlq))).containsEntry("MessageRetentionPeriod", 1_209_600)
                .containsEntry("SqsManagedSseEnabled", true);
        assertThat(props(cfn.resources().get(results))).containsEntry("SqsManagedSseEnabled", true)
                .containsEntry("MessageRetentionPeriod", SETTINGS.queue().retentionSeconds());
    }

    @Test
    void visibilityTimeoutCoversSixFunctionTimeoutsPlusTheWindowInTheTemplate() {
        // AWS's rule, checked on the synthesized values themselves:
        // https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html
        int visibility = ((Number) props(cfn.resources().get(uploads)).get("VisibilityTimeout")).intValue();
        int timeout = ((Number) props(workerFunction().getValue()).get("Timeout")).intValue();
        int window = ((Number) props(cfn.only("AWS::Lambda::EventSourceMapping").getValue())
                .get("MaximumBatchingWindowInSeconds")).intValue();
        assertThat(visibility).isGreaterThanOrEqualTo(6 * timeout + window);
    }

    @Test
    void workerIsJava25Arm64WithSnapStartAndItsOwnLogGroup() {
        Map<String, Object> fn = props(workerFunction().getValue());
        assertThat(fn).containsEntry("Runtime", "java25")
                .containsEntry("Architectures", List.of("arm64"))
                .containsEntry("MemorySize", SETTINGS.worker().memoryMb())
                .containsEntry("Timeout", SETTINGS.worker().timeoutSeconds())
                .containsEntry("Handler", "io.photopipe.worker.WorkerHandler::handleRequest")
                .containsEntry("SnapStart", Map.of("ApplyOn", "PublishedVersions"));
        String logs = logGroupOf(fn);
        assertThat(props(cfn.resources().get(logs))).containsEntry("RetentionInDays", 30);
        assertThat(cfn.resources().get(logs)).containsEntry("DeletionPolicy", "Delete");
    }

    @Test
    void theEventSourceMappingInvokesThePublishedAliasWithTheConfiguredBatching() {
        String fnId = workerFunction().getKey();
        String version = cfn.ofType("AWS::Lambda::Version").entrySet().stream()
                .filter(e -> ref(fnId).equals(props(e.getValue()).get("FunctionName"))).map(Map.Entry::getKey)
                .findFirst().orElseThrow();
        String alias = cfn.ofType("AWS::Lambda::Alias").entrySet().stream()
                .filter(e -> ref(fnId).equals(props(e.getValue()).get("FunctionName"))).map(Map.Entry::getKey)
                .findFirst().orElseThrow();
        assertThat(props(cfn.resources().get(alias))).containsEntry("Name", "live")
                .containsEntry("FunctionVersion", Map.of("Fn::GetAtt", List.of(version, "Version")));

        Map<String, Object> esm = props(cfn.only("AWS::Lambda::EventSourceMapping").getValue());
        assertThat(esm).containsEntry("EventSourceArn", arn(uploads))
                .containsEntry("BatchSize", SETTINGS.worker().batchSize())
                .containsEntry("MaximumBatchingWindowInSeconds", SETTINGS.worker().batchingWindowSeconds())
                .containsEntry("FunctionResponseTypes", List.of("ReportBatchItemFailures"))
                .containsEntry("ScalingConfig", Map.of("MaximumConcurrency", SETTINGS.worker().maxConcurrency()))
                .containsEntry("Enabled", true);
        assertThat(esm.get("FunctionName").toString()).contains(alias).contains(":live");
    }

    @Test
    void workerPolicyIsExactlyWhatTheWorkerDoes() {
        String role = roleOf(props(workerFunction().getValue()));
        String logs = logGroupOf(props(workerFunction().getValue()));
        String out = SETTINGS.outputPrefix();
        assertThat(statementsOf(role)).containsExactly(
                Map.of("Effect", "Allow", "Action", List.of("logs:CreateLogStream", "logs:PutLogEvents"),
                        "Resource", arn(logs)),
                Map.of("Sid", "ReadPhotosAndRenditions", "Effect", "Allow", "Action", "s3:GetObject",
                        "Resource", List.of(objects(bucket, SETTINGS.inputPrefix() + "*"), objects(bucket, out + "*"))),
                Map.of("Sid", "WriteAndDeleteRenditions", "Effect", "Allow",
                        "Action", List.of("s3:PutObject", "s3:DeleteObject"), "Resource", objects(bucket, out + "*")),
                // Unconditioned: S3 answers 404 for a missing key only to principals that may list the bucket.
                Map.of("Sid", "ListRenditionsAndNotFound", "Effect", "Allow", "Action", "s3:ListBucket",
                        "Resource", arn(bucket)),
                Map.of("Sid", "SendToDlqAndResults", "Effect", "Allow", "Action", "sqs:SendMessage",
                        "Resource", List.of(arn(dlq), arn(results))),
                Map.of("Sid", "PublishMetrics", "Effect", "Allow", "Action", "cloudwatch:PutMetricData",
                        "Resource", "*",
                        "Condition", Map.of("StringEquals", Map.of("cloudwatch:namespace", "photopipe"))),
                Map.of("Effect", "Allow", "Action", List.of("sqs:ReceiveMessage", "sqs:ChangeMessageVisibility",
                                "sqs:GetQueueUrl", "sqs:DeleteMessage", "sqs:GetQueueAttributes"),
                        "Resource", arn(uploads)));
        assertThat(props(cfn.resources().get(role))).doesNotContainKey("ManagedPolicyArns")
                .containsEntry("AssumeRolePolicyDocument", lambdaTrust());
        assertThat(cfn.ofType("AWS::IAM::Policy").values())
                .filteredOn(p -> ((List<?>) props(p).get("Roles")).contains(ref(role))).hasSize(1);
    }

    @Test
    void apiPolicyPresignsExactlyItsPrefixes() {
        Map<String, Object> fn = props(apiFunction().getValue());
        String role = roleOf(fn);
        assertThat(statementsOf(role)).containsExactly(
                Map.of("Effect", "Allow", "Action", List.of("logs:CreateLogStream", "logs:PutLogEvents"),
                        "Resource", arn(logGroupOf(fn))),
                Map.of("Sid", "PresignUploadsAndKeepTickets", "Effect", "Allow", "Action", "s3:PutObject",
                        "Resource", List.of(objects(bucket, SETTINGS.inputPrefix() + "*"),
                                objects(bucket, SETTINGS.outputPrefix() + "*/_upload.json"))),
                Map.of("Sid", "ReadPhotosAndRenditions", "Effect", "Allow", "Action", "s3:GetObject",
                        "Resource", List.of(objects(bucket, SETTINGS.inputPrefix() + "*"),
                                objects(bucket, SETTINGS.outputPrefix() + "*"))),
                Map.of("Sid", "NotFoundIsNotFound", "Effect", "Allow", "Action", "s3:ListBucket",
                        "Resource", arn(bucket)));
        assertThat(props(cfn.resources().get(role))).doesNotContainKey("ManagedPolicyArns");
    }

    @Test
    void noPolicyAllowsEveryActionOrEveryResourceExceptPutMetricData() {
        for (Map<String, Object> policy : cfn.ofType("AWS::IAM::Policy").values()) {
            for (Map<String, Object> statement : statements(props(policy))) {
                assertThat(List.of(statement.get("Action")).toString()).doesNotContain("*\"").doesNotContain(":*");
                if ("*".equals(statement.get("Resource"))) {
                    assertThat(statement.get("Action")).isEqualTo("cloudwatch:PutMetricData");
                    assertThat(statement).containsKey("Condition");
                }
            }
        }
    }

    @Test
    void apiFunctionAndHttpApiRoutes() {
        Map<String, Object> fn = props(apiFunction().getValue());
        assertThat(fn).containsEntry("Runtime", "java25")
                .containsEntry("MemorySize", SETTINGS.api().memoryMb())
                .containsEntry("Timeout", SETTINGS.api().timeoutSeconds())
                .containsEntry("SnapStart", Map.of("ApplyOn", "PublishedVersions"));
        assertThat(cfn.ofType("AWS::ApiGatewayV2::Route").values()).map(r -> props(r).get("RouteKey"))
                .containsExactlyInAnyOrder("POST /uploads", "GET /images/{id}", "GET /");
        assertThat(cfn.ofType("AWS::ApiGatewayV2::Route").values())
                .allSatisfy(r -> assertThat(props(r)).containsEntry("AuthorizationType", "NONE"));
        assertThat(cfn.ofType("AWS::ApiGatewayV2::Authorizer")).isEmpty();
        template.hasResourceProperties("AWS::ApiGatewayV2::Api", Map.of(
                "ProtocolType", "HTTP",
                "CorsConfiguration", Map.of("AllowOrigins", SETTINGS.api().corsOrigins(),
                        "AllowMethods", List.of("GET", "POST", "OPTIONS"),
                        "AllowHeaders", List.of("content-type", "authorization"), "MaxAge", 3600)));
        template.hasResourceProperties("AWS::ApiGatewayV2::Stage", Map.of("StageName", "$default",
                "AutoDeploy", true,
                "DefaultRouteSettings", Map.of("ThrottlingRateLimit", 50, "ThrottlingBurstLimit", 100)));
        // API Gateway invokes the alias (SnapStart), never $LATEST.
        template.hasResourceProperties("AWS::ApiGatewayV2::Integration", Map.of(
                "IntegrationType", "AWS_PROXY", "PayloadFormatVersion", "2.0",
                "IntegrationUri", ref(cfn.ofType("AWS::Lambda::Alias").entrySet().stream()
                        .filter(e -> ref(apiFunction().getKey()).equals(props(e.getValue()).get("FunctionName")))
                        .map(Map.Entry::getKey).findFirst().orElseThrow())));
    }

    @Test
    void alarmsWatchTheDlqTheOldestUploadAndWorkerErrorsAndThrottles() {
        template.resourceCountIs("AWS::CloudWatch::Alarm", 4);
        template.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of(
                "Namespace", "AWS/SQS", "MetricName", "ApproximateNumberOfMessagesVisible",
                "Dimensions", List.of(Map.of("Name", "QueueName", "Value", Map.of("Fn::GetAtt",
                        List.of(dlq, "QueueName")))),
                "ComparisonOperator", "GreaterThanThreshold", "Threshold", 0, "Statistic", "Maximum"));
        template.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of(
                "Namespace", "AWS/SQS", "MetricName", "ApproximateAgeOfOldestMessage",
                "Dimensions", List.of(Map.of("Name", "QueueName", "Value", Map.of("Fn::GetAtt",
                        List.of(uploads, "QueueName")))),
                "ComparisonOperator", "GreaterThanThreshold", "Threshold", 900));
        for (String metric : List.of("Errors", "Throttles")) {
            template.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of(
                    "Namespace", "AWS/Lambda", "MetricName", metric,
                    "Dimensions", List.of(Map.of("Name", "FunctionName", "Value", ref(workerFunction().getKey()))),
                    "ComparisonOperator", "GreaterThanOrEqualToThreshold", "Threshold", 1, "Statistic", "Sum"));
        }
        assertThat(cfn.ofType("AWS::SNS::Topic")).as("no e-mail, no topic").isEmpty();
    }

    @Test
    void dashboardShowsMicrometerMetricsBesideTheQueues() {
        String body = props(cfn.only("AWS::CloudWatch::Dashboard").getValue()).get("DashboardBody").toString();
        assertThat(body).contains("photopipe.messages.count").contains("photopipe.photo.duration.avg")
                .contains("photopipe.dlq.moves.count").contains("photopipe.megapixels.in.count")
                .contains("SEARCH('Namespace=\\\"photopipe\\\" MetricName=")
                .contains("ApproximateNumberOfMessagesVisible").contains("ApproximateAgeOfOldestMessage")
                .contains("AWS/Lambda");
    }

    @Test
    void outputsAreWhatDeployedStackReads() {
        assertThat(cfn.outputs().keySet()).containsExactlyInAnyOrderElementsOf(DeployedStack.OUTPUT_NAMES);
        assertThat(cfn.outputs().get(DeployedStack.QUEUE_URL)).isEqualTo(Map.of(
                "Description", "the upload queue S3 notifies", "Value", ref(uploads)));
        assertThat(cfn.outputs().get(DeployedStack.BUCKET)).asString().contains(bucket);
    }

    @Test
    void theDefaultBucketNameIsFlaggedBecauseBucketNamesAreGlobal() {
        software.amazon.awscdk.assertions.Annotations.fromStack(stack)
                .hasWarning("*", Match.stringLikeRegexp(".*bucket names are global.*"));
    }

    // --- helpers --------------------------------------------------------------------------------------------

    static Map.Entry<String, Map<String, Object>> workerFunction() {
        return function("io.photopipe.worker.WorkerHandler::handleRequest");
    }

    static Map.Entry<String, Map<String, Object>> apiFunction() {
        return function("io.photopipe.api.ApiHandler::handleRequest");
    }

    static Map<String, Object> function(Cfn cfn, String handler) {
        return cfn.ofType("AWS::Lambda::Function").values().stream()
                .filter(f -> handler.equals(props(f).get("Handler"))).findFirst().orElseThrow();
    }

    static Map.Entry<String, Map<String, Object>> function(String handler) {
        return cfn.ofType("AWS::Lambda::Function").entrySet().stream()
                .filter(e -> handler.equals(props(e.getValue()).get("Handler"))).findFirst().orElseThrow();
    }

    static String roleOfIn(Cfn cfn, String handler) {
        return roleOf(props(cfn.ofType("AWS::Lambda::Function").values().stream()
                .filter(f -> handler.equals(props(f).get("Handler"))).findFirst().orElseThrow()));
    }

    @SuppressWarnings("unchecked")
    static String roleOf(Map<String, Object> functionProps) {
        return ((List<String>) ((Map<String, Object>) functionProps.get("Role")).get("Fn::GetAtt")).getFirst();
    }

    @SuppressWarnings("unchecked")
    static String logGroupOf(Map<String, Object> functionProps) {
        return (String) ((Map<String, Object>) ((Map<String, Object>) functionProps.get("LoggingConfig"))
                .get("LogGroup")).get("Ref");
    }

    static String queuePolicyOf(String queue) {
        return cfn.ofType("AWS::SQS::QueuePolicy").entrySet().stream()
                .filter(e -> List.of(ref(queue)).equals(props(e.getValue()).get("Queues")))
                .map(Map.Entry::getKey).findFirst().orElseThrow();
    }

    static List<Map<String, Object>> statementsOf(String role) {
        return statementsOf(cfn, role);
    }

    static List<Map<String, Object>> statementsOf(Cfn cfn, String role) {
        return cfn.ofType("AWS::IAM::Policy").values().stream()
                .filter(p -> ((List<?>) props(p).get("Roles")).contains(ref(role)))
                .flatMap(p -> statements(props(p)).stream()).toList();
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> statements(Map<String, Object> policyProps) {
        return (List<Map<String, Object>>) ((Map<String, Object>) policyProps.get("PolicyDocument")).get("Statement");
    }

    static Map<String, Object> denyInsecure(String queue) {
        return Map.of("Action", "sqs:*", "Effect", "Deny", "Principal", Map.of("AWS", "*"),
                "Condition", Map.of("Bool", Map.of("aws:SecureTransport", "false")), "Resource", arn(queue));
    }

    static Map<String, Object> lambdaTrust() {
        return Map.of("Version", "2012-10-17", "Statement", List.of(Map.of("Action", "sts:AssumeRole",
                "Effect", "Allow", "Principal", Map.of("Service", "lambda.amazonaws.com"))));
    }
}
