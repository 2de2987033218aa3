package io.photopipe.infra;

import static io.photopipe.infra.Cfn.arn;
import static io.photopipe.infra.Cfn.objects;
import static io.photopipe.infra.Cfn.props;
import static io.photopipe.infra.Cfn.ref;
import static org.assertj.core.api.Assertions.assertThat;

import io.photopipe.core.PipelineSettings;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A deployment with every option turned the other way (own bucket names, a separate output bucket, x86_64,
 * versioning, auto-delete, a JWT authorizer, a custom domain's base URL, throttles, an alarm e-mail), synthesized once.
 */
class StackVariantsTest {

    static final PipelineSettings SETTINGS = PipelineSettings.fromJson("""
            {"bucket": "acme-photo-inbox", "outputBucket": "acme-photo-renditions", "inputPrefix": "in/",
             "outputPrefix": "out/", "worker": {"architecture": "x86_64"}, "api": {"corsOrigins": []}}
            """);
    static final DeployOptions OPTIONS = DeployOptions.fromContext(Map.<String, Object>ofEntries(
            Map.entry("stackName", "PhotopipeTest"), Map.entry("versioned", "true"),
            Map.entry("autoDeleteObjects", true), Map.entry("jwtIssuer", "https://issuer.example.com/"),
            Map.entry("jwtAudience", "photopipe-web, photopipe-cli"), Map.entry("oldestMessageAlarmSeconds", "600"),
            Map.entry("alarmEmail", "ops@example.com"), Map.entry("logRetentionDays", "7"),
            Map.entry("apiRateLimit", "5"), Map.entry("apiBurstLimit", "10"), Map.entry("uploadsRateLimit", "2"),
            Map.entry("uploadsBurstLimit", "4"), Map.entry("apiBaseUrl", "https://api.photos.example.com"))::get);

    static Cfn cfn;
    static String in;
    static String out;

    @BeforeAll
    static void synthesize() {
        cfn = new Cfn(TestStacks.template(SETTINGS, OPTIONS));
        in = cfn.idOf("AWS::S3::Bucket", "BucketName", "acme-photo-inbox");
        out = cfn.idOf("AWS::S3::Bucket", "BucketName", "acme-photo-renditions");
    }

    @Test
    void aSeparateOutputBucketGetsRenditionsAndNoNotifications() {
        assertThat(props(cfn.resources().get(in))).containsKey("NotificationConfiguration");
        assertThat(props(cfn.resources().get(out))).doesNotContainKey("NotificationConfiguration")
                .doesNotContainKey("CorsConfiguration")
                .containsKey("PublicAccessBlockConfiguration").containsKey("BucketEncryption");
        String role = PhotopipeStackTest.roleOfIn(cfn, "io.photopipe.worker.WorkerHandler::handleRequest");
        assertThat(PhotopipeStackTest.statementsOf(cfn, role)).contains(
                Map.of("Sid", "ReadPhotosAndRenditions", "Effect", "Allow", "Action", "s3:GetObject",
                        "Resource", List.of(objects(in, "in/*"), objects(out, "out/*"))),
                Map.of("Sid", "WriteAndDeleteRenditions", "Effect", "Allow",
                        "Action", List.of("s3:PutObject", "s3:DeleteObject"), "Resource", objects(out, "out/*")),
                Map.of("Sid", "ListRenditionsAndNotFound", "Effect", "Allow", "Action", "s3:ListBucket",
                        "Resource", List.of(arn(in), arn(out))));
        String api = PhotopipeStackTest.roleOfIn(cfn, "io.photopipe.api.ApiHandler::handleRequest");
        assertThat(PhotopipeStackTest.statementsOf(cfn, api)).contains(
                Map.of("Sid", "PresignUploadsAndKeepRecords", "Effect", "Allow", "Action", "s3:PutObject",
                        "Resource", List.of(objects(in, "in/*"), objects(out, "out/_api/*"))));
    }

    @Test
    void versionedTestStacksExpireOldVersionsAndEmptyTheBucketOnDestroy() {
        Map<String, Object> abortAndOldVersions = Map.of("Id", "abort-incomplete-multipart-uploads",
                "Status", "Enabled", "AbortIncompleteMultipartUpload", Map.of("DaysAfterInitiation", 1),
                "NoncurrentVersionExpiration", Map.of("NoncurrentDays", 30), "ExpiredObjectDeleteMarker", true);
        for (String b : List.of(in, out)) {
            Map<String, Object> bucket = cfn.resources().get(b);
            assertThat(props(bucket)).containsEntry("VersioningConfiguration", Map.of("Status", "Enabled"));
            assertThat(bucket).containsEntry("DeletionPolicy", "Delete");
        }
        assertThat(props(cfn.resources().get(in))).containsEntry("LifecycleConfiguration",
                Map.of("Rules", List.of(abortAndOldVersions)));
        // The API's records live in the output bucket, and so does the rule that expires them
        assertThat(props(cfn.resources().get(out))).containsEntry("LifecycleConfiguration", Map.of("Rules", List.of(
                abortAndOldVersions, Map.of("Id", "expire-api-records", "Status", "Enabled", "Prefix", "out/_api/",
                        "ExpirationInDays", 1, "NoncurrentVersionExpiration", Map.of("NoncurrentDays", 1),
                        "TagFilters", List.of(Map.of("Key", "photopipe-lifetime", "Value", "1d"))))));
        assertThat(cfn.ofType("Custom::S3AutoDeleteObjects")).hasSize(2);
    }

    @Test
    void architectureAndLogRetentionFollowTheSettings() {
        cfn.ofType("AWS::Lambda::Function").values().stream()
                .filter(f -> String.valueOf(props(f).get("Handler")).startsWith("io.photopipe."))
                .forEach(f -> assertThat(props(f)).containsEntry("Architectures", List.of("x86_64")));
        assertThat(cfn.ofType("AWS::Logs::LogGroup").values())
                .allSatisfy(g -> assertThat(props(g)).containsEntry("RetentionInDays", 7));
    }

    @Test
    void theJwtAuthorizerGuardsEveryRouteThePageToo() {
        Map.Entry<String, Map<String, Object>> authorizer = cfn.only("AWS::ApiGatewayV2::Authorizer");
        assertThat(props(authorizer.getValue())).containsEntry("AuthorizerType", "JWT")
                .containsEntry("IdentitySource", List.of("$request.header.Authorization"))
                .containsEntry("JwtConfiguration", Map.of("Issuer", "https://issuer.example.com/",
                        "Audience", List.of("photopipe-web", "photopipe-cli")));
        Map<Object, Object> auth = new java.util.HashMap<>();
        cfn.ofType("AWS::ApiGatewayV2::Route").values()
                .forEach(r -> auth.put(props(r).get("RouteKey"), props(r).get("AuthorizationType")));
        assertThat(auth).isEqualTo(Map.of("POST /uploads", "JWT", "GET /images/{id}", "JWT", "GET /", "JWT"));
        assertThat(props(cfn.only("AWS::ApiGatewayV2::Api").getValue())).doesNotContainKey("CorsConfiguration");
        assertThat(props(cfn.only("AWS::ApiGatewayV2::Stage").getValue())).containsEntry("DefaultRouteSettings",
                Map.of("ThrottlingRateLimit", 5, "ThrottlingBurstLimit", 10)).containsEntry("RouteSettings",
                Map.of("POST /uploads", Map.of("ThrottlingRateLimit", 2, "ThrottlingBurstLimit", 4)));
        String env = props(PhotopipeStackTest.function(cfn, FunctionJars.API_HANDLER)).get("Environment").toString();
        assertThat(env).contains("PHOTOPIPE_API_AUTH=jwt", "PHOTOPIPE_API_BASE_URL=https://api.photos.example.com");
    }

    @Test
    void alarmsNotifyTheEmailTopic() {
        String topic = cfn.only("AWS::SNS::Topic").getKey();
        assertThat(props(cfn.only("AWS::SNS::Subscription").getValue())).containsEntry("Protocol", "email")
                .containsEntry("Endpoint", "ops@example.com").containsEntry("TopicArn", ref(topic));
        assertThat(cfn.ofType("AWS::CloudWatch::Alarm").values()).hasSize(4)
                .allSatisfy(a -> assertThat(props(a)).containsEntry("AlarmActions", List.of(ref(topic))));
        assertThat(cfn.ofType("AWS::CloudWatch::Alarm").values())
                .anySatisfy(a -> assertThat(props(a)).containsEntry("MetricName", "ApproximateAgeOfOldestMessage")
                        .containsEntry("Threshold", 600));
    }

    @Test
    void theQueuePolicyNamesTheConfiguredBucket() {
        String uploads = cfn.idOf("AWS::SQS::Queue", "QueueName", SETTINGS.queue().name());
        assertThat(cfn.ofType("AWS::SQS::QueuePolicy").values().stream()
                .filter(p -> List.of(ref(uploads)).equals(props(p).get("Queues"))).findFirst().orElseThrow()
                .toString()).contains(":s3:::acme-photo-inbox");
        assertThat(props(cfn.resources().get(in)).get("NotificationConfiguration").toString())
                .contains("Value=in/");
    }
}
