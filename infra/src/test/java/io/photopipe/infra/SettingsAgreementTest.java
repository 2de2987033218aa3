package io.photopipe.infra;

import static io.photopipe.infra.Cfn.props;
import static org.assertj.core.api.Assertions.assertThat;

import io.photopipe.core.FunctionEnv;
import io.photopipe.core.PipelineSettings;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One source of truth: every setting the local runtime and AWS share, read back from the synthesized template, equals
 * what {@link PipelineSettings} and {@link FunctionEnv} give the local runtime. The settings here differ from the
 * defaults in every shared field, so an agreement cannot be a coincidence of defaults.
 */
class SettingsAgreementTest {

    static final PipelineSettings SETTINGS = PipelineSettings.fromJson("""
            {"bucket": "agree-photos", "inputPrefix": "incoming/", "outputPrefix": "derived/",
             "queue": {"name": "agree-q", "dlqName": "agree-dlq", "resultsName": "agree-results",
                       "visibilityTimeoutSeconds": 200, "maxReceiveCount": 3, "retentionSeconds": 86400},
             "worker": {"memoryMb": 3008, "timeoutSeconds": 30, "batchSize": 25, "batchingWindowSeconds": 5,
                        "maxConcurrency": 7},
             "limits": {"maxObjectBytes": 2048000, "maxPixels": 5000000},
             "jpegBackground": "#000000"}
            """);

    static Cfn cfn;

    @BeforeAll
    static void synthesize() {
        cfn = new Cfn(TestStacks.template(SETTINGS, DeployOptions.defaults()));
    }

    @Test
    void queuesAgree() {
        Map<String, Object> uploads = props(cfn.resources().get(queue(SETTINGS.queue().name())));
        assertThat(uploads).containsEntry("VisibilityTimeout", SETTINGS.queue().visibilityTimeoutSeconds())
                .containsEntry("MessageRetentionPeriod", SETTINGS.queue().retentionSeconds());
        assertThat(uploads.get("RedrivePolicy")).isEqualTo(Map.of(
                "deadLetterTargetArn", Cfn.arn(queue(SETTINGS.queue().dlqName())),
                "maxReceiveCount", SETTINGS.queue().maxReceiveCount()));
        queue(SETTINGS.queue().resultsName());
    }

    @Test
    void workerFunctionAndEventSourceMappingAgree() {
        Map<String, Object> fn = props(PhotopipeStackTest.function(cfn, FunctionJars.WORKER_HANDLER));
        assertThat(fn).containsEntry("MemorySize", SETTINGS.worker().memoryMb())
                .containsEntry("Timeout", SETTINGS.worker().timeoutSeconds())
                .containsEntry("Architectures", List.of(SETTINGS.worker().architecture()));
        Map<String, Object> esm = props(cfn.only("AWS::Lambda::EventSourceMapping").getValue());
        assertThat(esm).containsEntry("EventSourceArn", Cfn.arn(queue(SETTINGS.queue().name())))
                .containsEntry("BatchSize", SETTINGS.worker().batchSize())
                .containsEntry("MaximumBatchingWindowInSeconds", SETTINGS.worker().batchingWindowSeconds())
                .containsEntry("ScalingConfig", Map.of("MaximumConcurrency", SETTINGS.worker().maxConcurrency()));
    }

    @Test
    void workerEnvironmentIsExactlyFunctionEnvWorker() {
        Map<String, Object> fn = props(PhotopipeStackTest.function(cfn, FunctionJars.WORKER_HANDLER));
        @SuppressWarnings("unchecked")
        Map<String, Object> vars = (Map<String, Object>) ((Map<String, Object>) fn.get("Environment"))
                .get("Variables");
        // Queue URLs are CloudFormation references on AWS: resolve each to the name of the queue it refers to.
        Map<String, String> resolved = new LinkedHashMap<>();
        vars.forEach((k, v) -> resolved.put(k, v instanceof Map<?, ?> m && m.containsKey("Ref")
                ? "url-of:" + props(cfn.resources().get((String) m.get("Ref"))).get("QueueName")
                : (String) v));
        assertThat(resolved).isEqualTo(FunctionEnv.worker(SETTINGS, "url-of:" + SETTINGS.queue().dlqName(),
                "url-of:" + SETTINGS.queue().resultsName()));
    }

    @Test
    void apiFunctionAndEnvironmentAreExactlyFunctionEnvApi() {
        Map<String, Object> fn = props(PhotopipeStackTest.function(cfn, FunctionJars.API_HANDLER));
        assertThat(fn).containsEntry("MemorySize", SETTINGS.api().memoryMb())
                .containsEntry("Timeout", SETTINGS.api().timeoutSeconds());
        assertThat(((Map<?, ?>) fn.get("Environment")).get("Variables")).isEqualTo(FunctionEnv.api(SETTINGS));
    }

    @Test
    void theNotificationFilterIsTheInputPrefix() {
        Map<String, Object> bucket = props(cfn.resources().get(
                cfn.idOf("AWS::S3::Bucket", "BucketName", SETTINGS.bucket())));
        assertThat(bucket.get("NotificationConfiguration").toString())
                .contains("{Name=prefix, Value=" + SETTINGS.inputPrefix() + "}")
                .doesNotContain(SETTINGS.outputPrefix());
    }

    private static String queue(String name) {
        return cfn.idOf("AWS::SQS::Queue", "QueueName", name);
    }
}
