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
                        "LifecycleConfiguration", Map.of("Rules", List.of(ABORT_MULTIPART, EXPIRE_API_RECORDS)))),
                "DeletionPolicy", "Retain",
                "UpdateReplacePolicy", "Retain"));
        assertThat(props(cfn.resources().get(bucket))).doesNotContainKey("VersioningConfiguration");
    }

    // --- secure by default: what `./photopipe infra synth` makes without any option ------------------------

    @Test
    void everyRouteRequiresIamAuthorization() {
        assertThat(cfn.ofType("AWS::ApiGatewayV2::Route").values()).hasSize(3)
                .allSatisfy(r -> assertThat(props(r)).containsEntry("AuthorizationType", "AWS_IAM"));
        assertThat(props(apiFunction().getValue()).get("Environment").toString()).contains("PHOTOPIPE_API_AUTH=iam");
        software.amazon.awscdk.assertions.Annotations.fromStack(stack)
                .hasNoWarning("*", Match.stringLikeRegexp(".*NO authorization.*"));
    }

    @Test
    void noCorsOriginAnywhere() {
        assertThat(props(cfn.resources().get(bucket))).doesNotContainKey("CorsConfiguration");
        assertThat(props(cfn.only("AWS::ApiGatewayV2::Api").getValue())).doesNotContainKey("CorsConfiguration");
        assertThat(props(apiFunction().getValue()).get("Environment").toString()).contains("PHOTOPIPE_CORS_ORIGINS=,");
        assertThat(template.toJSON().toString()).doesNotContain("AllowedOrigins=[*]").doesNotContain("AllowOrigins");
    }

    /**
     * The stand-in for a WAF rate-based rule, which an HTTP API cannot have: stage and per-route throttles (what AWS
     * documents for HTTP APIs) and the function's per-client upload rate.
     */
    @Test
    void perRouteThrottlesAndAPerClientUploadRateStandInForARateBasedRule() {
        Map.Entry<String, Map<String, Object>> stage = cfn.only("AWS::ApiGatewayV2::Stage");
        assertThat(props(stage.getValue()))
                .containsEntry("DefaultRouteSettings", Map.of("ThrottlingRateLimit", 50, "ThrottlingBurstLimit", 100))
                .containsEntry("RouteSettings", Map.of("POST /uploads",
                        Map.of("ThrottlingRateLimit", 10, "ThrottlingBurstLimit", 20)));
        // CloudFormation refuses RouteSettings naming a route that does not exist yet
        assertThat(stage.getValue().get("DependsOn")).asInstanceOf(
                org.assertj.core.api.InstanceOfAssertFactories.LIST).containsAll(cfn.ofType("AWS::ApiGatewayV2::Route")
                .keySet());
        assertThat(props(apiFunction().getValue()).get("Environment").toString())
                .contains("PHOTOPIPE_UPLOADS_PER_CLIENT_PER_MINUTE=" + SETTINGS.api().uploadsPerClientPerMinute());
        assertThat(cfn.ofType("AWS::WAFv2::WebACLAssociation")).as("WAF cannot protect an HTTP API").isEmpty();
    }

    @Test
    void theApiFunctionHasReservedConcurrency() {
        assertThat(props(apiFunction().getValue()))
                .containsEntry("ReservedConcurrentExecutions", SETTINGS.api().reservedConcurrency());
        assertThat(props(workerFunction().getValue())).as("the worker is bounded by its ESM's maximum concurrency")
                .doesNotContainKey("ReservedConcurrentExecutions");
    }

    @Test
    void whatAnAbandonedUploadLeavesExpires() {
        // Parts of a multipart upload never completed, then the API's tagged records (tickets, counters) only
        assertThat(props(cfn.resources().get(bucket)).get("LifecycleConfiguration"))
                .isEqualTo(Map.of("Rules", List.of(ABORT_MULTIPART, EXPIRE_API_RECORDS)));
        assertThat(SETTINGS.layout().apiRecordsPrefix()).isEqualTo("renditions/_api/");
    }

    static final Map<String, Object> ABORT_MULTIPART = Map.of("Id", "abort-incomplete-multipart-uploads",
            "Status", "Enabled", "AbortIncompleteMultipartUpload", Map.of("DaysAfterInitiation", 1));
    static final Map<String, Object> EXPIRE_API_RECORDS = Map.of("Id", "expire-api-records", "Status", "Enabled",
            "Prefix", "renditions/_api/", "ExpirationInDays", 1,
            "TagFilters", List.of(Map.of("Key", "photopipe-lifetime", "Value", "1d")));

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
                Map.of("Sid", "PresignUploadsAndKeepRecords", "Effect", "Allow", "Action", "s3:PutObject",
                        "Resource", List.of(objects(bucket, SETTINGS.inputPrefix() + "*"),
                                objects(bucket, SETTINGS.outputPrefix() + "_api/*"))),
                Map.of("Sid", "TagRecordsForExpiry", "Effect", "Allow", "Action", "s3:PutObjectTagging",
                        "Resource", objects(bucket, SETTINGS.outputPrefix() + "_api/*")),
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
        // IAM authorization needs no authorizer resource
        assertThat(cfn.ofType("AWS::ApiGatewayV2::Authorizer")).isEmpty();
        template.hasResourceProperties("AWS::ApiGatewayV2::Api", Map.of("ProtocolType", "HTTP"));
        template.hasResourceProperties("AWS::ApiGatewayV2::Stage", Map.of("StageName", "$default",
                "AutoDeploy", true));
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
