package io.photopipe.infra;

import static io.photopipe.infra.Cfn.props;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.photopipe.core.ApiAuth;
import io.photopipe.core.FunctionEnv;
import io.photopipe.core.PipelineSettings;
import io.photopipe.local.esm.EsmConfig;
import io.photopipe.local.lambda.FunctionConfig;
import io.photopipe.local.lambda.LambdaOptions;
import io.photopipe.local.notify.NotificationConfiguration;
import io.photopipe.local.notify.NotificationRule;
import io.photopipe.local.stack.LocalOptions;
import io.photopipe.local.stack.LocalStack;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * One source of truth: the local runtime (started for real: ElasticMQ, S3Proxy, notifications, the Lambda emulation)
 * and the synthesized template agree on every setting they share, and both equal {@link PipelineSettings} and
 * {@link FunctionEnv}. The settings differ from the defaults in every shared field, so an agreement cannot be a
 * coincidence of defaults.
 */
class SettingsAgreementTest {

    static final PipelineSettings SETTINGS = PipelineSettings.fromJson("""
            {"bucket": "agree-photos", "inputPrefix": "incoming/", "outputPrefix": "derived/",
             "queue": {"name": "agree-q", "dlqName": "agree-dlq", "resultsName": "agree-results",
                       "visibilityTimeoutSeconds": 200, "maxReceiveCount": 3, "retentionSeconds": 86400},
             "worker": {"memoryMb": 3008, "timeoutSeconds": 30, "batchSize": 25, "batchingWindowSeconds": 5,
                        "maxConcurrency": 7},
             "limits": {"maxObjectBytes": 2048000, "maxPixels": 5000000},
             "jpegBackground": "#000000",
             "api": {"corsOrigins": ["https://photos.example.com"], "memoryMb": 768, "timeoutSeconds": 12}}
            """);

    static Cfn cfn;
    static LocalStack local;

    @BeforeAll
    static void synthesizeAndStartTheLocalRuntime() throws IOException {
        cfn = new Cfn(TestStacks.template(SETTINGS, DeployOptions.defaults()));
        Files.createDirectories(Path.of("target"));
        Path data = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "local-");
        FunctionJars jars = TestStacks.jars();
        // Nothing consumes the queue (runWorker false) and nothing is invoked: only the configuration is compared.
        local = LocalStack.start(SETTINGS, new LocalOptions(TestStacks.projectRoot(), data, "127.0.0.1", 0, 0, 0,
                LambdaOptions.Mode.IN_PROCESS, jars.worker(), jars.api(), "", false, null));
    }

    @AfterAll
    static void stop() {
        if (local != null) {
            local.close();
        }
    }

    @Test
    void queuesAgree() {
        Map<String, Object> uploads = props(cfn.resources().get(queue(SETTINGS.queue().name())));
        Map<QueueAttributeName, String> localUploads = local.sqs().client()
                .getQueueAttributes(b -> b.queueUrl(local.queues().queueUrl()).attributeNames(QueueAttributeName.ALL))
                .attributes();
        assertThat(local.queues().queueUrl()).endsWith("/" + SETTINGS.queue().name());
        assertThat(local.queues().dlqUrl()).endsWith("/" + SETTINGS.queue().dlqName());
        assertThat(local.resultsQueueUrl()).endsWith("/" + SETTINGS.queue().resultsName());

        assertThat(uploads.get("VisibilityTimeout")).isEqualTo(SETTINGS.queue().visibilityTimeoutSeconds())
                .hasToString(localUploads.get(QueueAttributeName.VISIBILITY_TIMEOUT));
        assertThat(uploads.get("MessageRetentionPeriod")).isEqualTo(SETTINGS.queue().retentionSeconds());
        // A known gap of the emulator, pinned so it is noticed when it closes: ElasticMQ 1.7.1 lists
        // MessageRetentionPeriod among its unsupported attributes (accepted, ignored, never reported), so local
        // messages do not expire. If this fails, ElasticMQ keeps it now: compare the value with the template's.
        assertThat(localUploads).doesNotContainKey(QueueAttributeName.MESSAGE_RETENTION_PERIOD);
        JsonNode localRedrive = json(localUploads.get(QueueAttributeName.REDRIVE_POLICY));
        assertThat(uploads.get("RedrivePolicy")).isEqualTo(Map.of(
                "deadLetterTargetArn", Cfn.arn(queue(SETTINGS.queue().dlqName())),
                "maxReceiveCount", SETTINGS.queue().maxReceiveCount()));
        assertThat(localRedrive.get("maxReceiveCount").asInt()).isEqualTo(SETTINGS.queue().maxReceiveCount());
        assertThat(localRedrive.get("deadLetterTargetArn").asText()).endsWith(":" + SETTINGS.queue().dlqName());
        queue(SETTINGS.queue().resultsName());
    }

    @Test
    void notificationsAgreeOnEventsAndTheInputPrefix() {
        NotificationConfiguration localConfig = local.notifications().configuration(SETTINGS.bucket());
        assertThat(localConfig.rules()).hasSize(1);
        NotificationRule rule = localConfig.rules().getFirst();
        assertThat(rule.prefix()).isEqualTo(SETTINGS.inputPrefix());
        assertThat(rule.suffix()).isEmpty();
        assertThat(rule.queueName()).isEqualTo(SETTINGS.queue().name());

        Map<String, Object> bucket = props(cfn.resources().get(
                cfn.idOf("AWS::S3::Bucket", "BucketName", SETTINGS.bucket())));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> aws = (List<Map<String, Object>>) ((Map<String, Object>)
                bucket.get("NotificationConfiguration")).get("QueueConfigurations");
        assertThat(aws).map(c -> c.get("Event")).containsExactlyElementsOf(rule.events());
        assertThat(aws).allSatisfy(c -> {
            assertThat(c.get("Filter")).isEqualTo(Map.of("S3Key", Map.of("Rules",
                    List.of(Map.of("Name", "prefix", "Value", rule.prefix())))));
            assertThat(c.get("Queue")).isEqualTo(Cfn.arn(queue(rule.queueName())));
        });
        assertThat(localConfig).isEqualTo(NotificationConfiguration.forPipeline(SETTINGS, rule.queueArn()));
    }

    @Test
    void workerFunctionAgrees() {
        Map<String, Object> aws = props(PhotopipeStackTest.function(cfn, FunctionJars.WORKER_HANDLER));
        FunctionConfig fn = local.lambda().function(LocalStack.WORKER_FUNCTION).orElseThrow();
        assertThat(fn.handler()).isEqualTo(aws.get("Handler")).isEqualTo(FunctionJars.WORKER_HANDLER);
        assertThat(fn.memoryMb()).isEqualTo(aws.get("MemorySize")).isEqualTo(SETTINGS.worker().memoryMb());
        assertThat(fn.timeoutSeconds()).isEqualTo(aws.get("Timeout")).isEqualTo(SETTINGS.worker().timeoutSeconds());
        assertThat(aws.get("Architectures")).isEqualTo(List.of(SETTINGS.worker().architecture()));
        Map<String, String> expected = FunctionEnv.worker(SETTINGS, "queue:" + SETTINGS.queue().dlqName(),
                "queue:" + SETTINGS.queue().resultsName());
        assertThat(awsEnvironment(aws)).isEqualTo(expected);
        assertThat(localEnvironment(fn)).isEqualTo(expected);
    }

    @Test
    void apiFunctionAgrees() {
        Map<String, Object> aws = props(PhotopipeStackTest.function(cfn, FunctionJars.API_HANDLER));
        FunctionConfig fn = local.lambda().function(LocalStack.API_FUNCTION).orElseThrow();
        assertThat(fn.handler()).isEqualTo(aws.get("Handler")).isEqualTo(FunctionJars.API_HANDLER);
        assertThat(fn.memoryMb()).isEqualTo(aws.get("MemorySize")).isEqualTo(SETTINGS.api().memoryMb());
        assertThat(fn.timeoutSeconds()).isEqualTo(aws.get("Timeout")).isEqualTo(SETTINGS.api().timeoutSeconds());
        // Only who may call and the links' base are the place's own: IAM on AWS; anonymous on the loopback dev stack
        String localApi = local.apiEndpoint().orElseThrow().toString();
        assertThat(awsEnvironment(aws)).isEqualTo(FunctionEnv.api(SETTINGS, ApiAuth.IAM, ""));
        assertThat(localEnvironment(fn)).isEqualTo(FunctionEnv.api(SETTINGS, ApiAuth.NONE, localApi));
        Map<String, String> placeless = new LinkedHashMap<>(awsEnvironment(aws));
        placeless.keySet().removeAll(List.of(FunctionEnv.API_AUTH, FunctionEnv.API_BASE_URL));
        assertThat(localEnvironment(fn)).containsAllEntriesOf(placeless);
    }

    @Test
    void eventSourceMappingAgrees() {
        Map<String, Object> aws = props(cfn.only("AWS::Lambda::EventSourceMapping").getValue());
        EsmConfig esm = EsmConfig.of(SETTINGS, local.queues().queueUrl(), local.queues().queueArn(),
                LocalStack.WORKER_FUNCTION);
        assertThat(aws.get("EventSourceArn")).isEqualTo(Cfn.arn(queue(SETTINGS.queue().name())));
        assertThat(esm.queueArn()).endsWith(":" + SETTINGS.queue().name());
        assertThat(aws.get("BatchSize")).isEqualTo(esm.batchSize()).isEqualTo(SETTINGS.worker().batchSize());
        assertThat(aws.get("MaximumBatchingWindowInSeconds")).isEqualTo(esm.maximumBatchingWindowSeconds())
                .isEqualTo(SETTINGS.worker().batchingWindowSeconds());
        assertThat(aws.get("ScalingConfig")).isEqualTo(Map.of("MaximumConcurrency", esm.maximumConcurrency()));
        assertThat(esm.maximumConcurrency()).isEqualTo(SETTINGS.worker().maxConcurrency());
        assertThat(esm.reportBatchItemFailures()).isTrue();
        assertThat(aws.get("FunctionResponseTypes")).isEqualTo(List.of("ReportBatchItemFailures"));
        assertThat(esm.filterPatterns()).isEmpty();
        assertThat(aws).doesNotContainKey("FilterCriteria");
    }

    @Test
    void bucketCorsAgreesForTheUploadPage() throws Exception {
        Map<String, Object> bucket = props(cfn.resources().get(
                cfn.idOf("AWS::S3::Bucket", "BucketName", SETTINGS.bucket())));
        assertThat(bucket.get("CorsConfiguration").toString())
                .contains("AllowedOrigins=" + SETTINGS.api().corsOrigins());
        // The local S3 answers the browser's preflight for the configured origin and the local API's own page,
        // and for nothing else.
        assertThat(preflight("https://photos.example.com")).isEqualTo("https://photos.example.com");
        String page = "http://" + local.apiEndpoint().orElseThrow().getAuthority();
        assertThat(preflight(page)).isEqualTo(page);
        assertThat(preflight("https://elsewhere.example.com")).isNull();
        assertThat(preflight("http://127.0.0.1:1")).isNull();
    }

    // --- helpers --------------------------------------------------------------------------------------------

    /** The template's variables, each queue reference replaced by "queue:" + the name of the queue it refers to. */
    private static Map<String, String> awsEnvironment(Map<String, Object> functionProps) {
        @SuppressWarnings("unchecked")
        Map<String, Object> vars = (Map<String, Object>) ((Map<String, Object>) functionProps.get("Environment"))
                .get("Variables");
        Map<String, String> resolved = new LinkedHashMap<>();
        vars.forEach((k, v) -> resolved.put(k, v instanceof Map<?, ?> m && m.containsKey("Ref")
                ? "queue:" + props(cfn.resources().get((String) m.get("Ref"))).get("QueueName")
                : (String) v));
        return resolved;
    }

    /**
     * The local function's variables without the endpoint overrides that point its SDK at the local servers, each
     * local queue URL replaced by "queue:" + its name.
     */
    private static Map<String, String> localEnvironment(FunctionConfig fn) {
        Map<String, String> env = new LinkedHashMap<>();
        fn.environment().forEach((k, v) -> {
            if (!k.startsWith("AWS_ENDPOINT_URL")) {
                boolean queueUrl = v.equals(local.queues().dlqUrl()) || v.equals(local.resultsQueueUrl())
                        || v.equals(local.queues().queueUrl());
                env.put(k, queueUrl ? "queue:" + v.substring(v.lastIndexOf('/') + 1) : v);
            }
        });
        return env;
    }

    private static String preflight(String origin) throws Exception {
        URI uri = local.s3().endpoint().resolve("/" + SETTINGS.bucket() + "/" + SETTINGS.inputPrefix() + "x.jpg");
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<Void> r = http.send(HttpRequest.newBuilder(uri)
                    .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                    .header("Origin", origin)
                    .header("Access-Control-Request-Method", "PUT")
                    .build(), HttpResponse.BodyHandlers.discarding());
            return r.headers().firstValue("Access-Control-Allow-Origin").orElse(null);
        }
    }

    private static JsonNode json(String text) {
        try {
            return new ObjectMapper().readTree(text);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String queue(String name) {
        return cfn.idOf("AWS::SQS::Queue", "QueueName", name);
    }
}
