package io.photopipe.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.photopipe.core.FunctionEnv;
import io.photopipe.core.PipelineSettings;
import io.photopipe.core.SettingsException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WorkerConfigTest {

    private static final String DLQ = "http://127.0.0.1:9324/000000000000/photopipe-uploads-dlq";

    private static Map<String, String> env(String... kv) {
        Map<String, String> m = new HashMap<>(FunctionEnv.worker(PipelineSettings.defaults(), DLQ, ""));
        for (int i = 0; i < kv.length; i += 2) {
            if (kv[i + 1] == null) {
                m.remove(kv[i]);
            } else {
                m.put(kv[i], kv[i + 1]);
            }
        }
        return m;
    }

    @Test
    void readsWhatTheLocalRuntimeAndCdkSet() {
        WorkerConfig c = WorkerConfig.fromEnv(env()::get);
        PipelineSettings d = PipelineSettings.defaults();
        assertThat(c.settings().bucket()).isEqualTo(d.bucket());
        assertThat(c.settings().layout()).isEqualTo(d.layout());
        assertThat(c.settings().renditions()).isEqualTo(d.renditions());
        assertThat(c.settings().presetsHash()).isEqualTo(d.presetsHash());
        assertThat(c.dlqUrl()).isEqualTo(DLQ);
        assertThat(c.resultsUrl()).isEmpty();
        assertThat(c.processing().concurrency()).isEqualTo(4);
        assertThat(c.processing().safetyMargin()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.processing().cacheControl()).isEqualTo("public, max-age=300");
        assertThat(c.aws().s3Endpoint()).isEmpty();
        assertThat(c.aws().region()).isEqualTo("us-east-1");
        assertThat(c.settings().limits().maxSamplesPerPixel()).isEqualTo(8);
        assertThat(c.settings().limits().maxAspectRatio()).isEqualTo(100);
        assertThat(c.processing().maxReceiveCount()).isEqualTo(d.queue().maxReceiveCount());
        assertThat(c.processing().abandonedGrace()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.environment()).startsWith("local-");
        assertThat(WorkerConfig.fromEnv(env("AWS_LAMBDA_LOG_STREAM_NAME", "2026/12/08/[$LATEST]abc")::get)
                .environment()).isEqualTo("2026/12/08/[$LATEST]abc");
    }

    @Test
    void theMinimumIsABucketAndADlq() {
        WorkerConfig c = WorkerConfig.fromEnv(Map.of("PHOTOPIPE_BUCKET", "photos", "PHOTOPIPE_DLQ_URL", DLQ)::get);
        assertThat(c.settings().bucket()).isEqualTo("photos");
        assertThat(c.settings().effectiveOutputBucket()).isEqualTo("photos");
        assertThat(c.settings().renditions()).isEqualTo(PipelineSettings.defaults().renditions());
    }

    @Test
    void metricsDefaultToCloudWatchOnlyInLambdaOnAws() {
        assertThat(WorkerConfig.fromEnv(env("AWS_LAMBDA_FUNCTION_NAME", "w")::get).metrics().mode())
                .isEqualTo(WorkerConfig.MetricsMode.CLOUDWATCH);
        assertThat(WorkerConfig.fromEnv(env("AWS_LAMBDA_FUNCTION_NAME", "w",
                "AWS_ENDPOINT_URL_S3", "http://127.0.0.1:9000")::get).metrics().mode())
                .isEqualTo(WorkerConfig.MetricsMode.LOG);
        assertThat(WorkerConfig.fromEnv(env()::get).metrics().mode()).isEqualTo(WorkerConfig.MetricsMode.LOG);
        assertThat(WorkerConfig.fromEnv(env("PHOTOPIPE_METRICS", "None")::get).metrics().mode())
                .isEqualTo(WorkerConfig.MetricsMode.NONE);
    }

    @Test
    void endpointOverridesComeFromTheStandardVariables() {
        WorkerConfig c = WorkerConfig.fromEnv(env("AWS_ENDPOINT_URL", "http://127.0.0.1:1",
                "AWS_ENDPOINT_URL_SQS", "http://127.0.0.1:2", "PHOTOPIPE_RESULTS_QUEUE_URL", "http://q/1/r")::get);
        assertThat(c.aws().s3Endpoint()).hasValueSatisfying(u -> assertThat(u.getPort()).isEqualTo(1));
        assertThat(c.aws().sqsEndpoint()).hasValueSatisfying(u -> assertThat(u.getPort()).isEqualTo(2));
        assertThat(c.resultsUrl()).contains("http://q/1/r");
    }

    @Test
    void anEmptyInputPrefixMeansTheWholeBucketWithRenditionsElsewhere() {
        assertError(env("PHOTOPIPE_INPUT_PREFIX", ""), "PHOTOPIPE_OUTPUT_PREFIX", "overlaps");
        WorkerConfig c = WorkerConfig.fromEnv(env("PHOTOPIPE_INPUT_PREFIX", "", "PHOTOPIPE_OUTPUT_BUCKET",
                "photopipe-renditions")::get);
        assertThat(c.settings().inputPrefix()).isEmpty();
        assertThat(c.settings().layout().isInput(c.settings().bucket(), "a.jpg")).isTrue();
        assertThat(c.settings().layout().isOutput("photopipe-renditions", "renditions/a.jpg/thumb.jpg")).isTrue();
    }

    @Test
    void errorsNameTheVariableTheValueAndWhatIsAllowed() {
        assertError(env("PHOTOPIPE_BUCKET", null), "PHOTOPIPE_BUCKET", "is not set");
        assertError(env("PHOTOPIPE_DLQ_URL", null), "PHOTOPIPE_DLQ_URL", "is not set");
        assertError(env("PHOTOPIPE_DLQ_URL", "photopipe-dlq"), "PHOTOPIPE_DLQ_URL", "'photopipe-dlq'",
                "http:// or https://");
        assertError(env("PHOTOPIPE_CONCURRENCY", "0"), "PHOTOPIPE_CONCURRENCY", "'0'", "1 to 64");
        assertError(env("PHOTOPIPE_CONCURRENCY", "four"), "PHOTOPIPE_CONCURRENCY", "'four'", "1 to 64");
        assertError(env("PHOTOPIPE_METRICS", "prometheus"), "PHOTOPIPE_METRICS", "'prometheus'",
                "cloudwatch, log, none");
        assertError(env("PHOTOPIPE_BUCKET", "Bad_Bucket"), "PHOTOPIPE_BUCKET", "'Bad_Bucket'");
        assertError(env("PHOTOPIPE_OUTPUT_PREFIX", "uploads/x/"), "PHOTOPIPE_OUTPUT_PREFIX", "overlaps");
        assertError(env("PHOTOPIPE_RENDITIONS", "[{\"name\":\"Thumb\",\"width\":1,\"height\":1}]"),
                "PHOTOPIPE_RENDITIONS", "'Thumb'");
        assertError(env("PHOTOPIPE_MAX_PIXELS", "-5"), "PHOTOPIPE_MAX_PIXELS", "'-5'", "1 or more");
        assertError(env("PHOTOPIPE_MAX_SAMPLES_PER_PIXEL", "200"), "PHOTOPIPE_MAX_SAMPLES_PER_PIXEL", "'200'", "1 to 64");
        assertError(env("PHOTOPIPE_MAX_ASPECT_RATIO", "0.5"), "PHOTOPIPE_MAX_ASPECT_RATIO", "0.5", "at least 1");
        assertError(env("PHOTOPIPE_MAX_ASPECT_RATIO", "wide"), "PHOTOPIPE_MAX_ASPECT_RATIO", "'wide' is not a number");
        assertError(env("PHOTOPIPE_SAFETY_MARGIN_MS", "1000000"), "PHOTOPIPE_SAFETY_MARGIN_MS", "0 to 900000");
        assertError(env("PHOTOPIPE_VISIBILITY_BACKOFF_SECONDS", "60", "PHOTOPIPE_VISIBILITY_BACKOFF_MAX_SECONDS",
                "30"), "PHOTOPIPE_VISIBILITY_BACKOFF_MAX_SECONDS", "'30'");
        assertError(env("AWS_REGION", "Frankfurt"), "AWS_REGION", "'Frankfurt'");
        assertError(env("PHOTOPIPE_MAX_RECEIVE_COUNT", "0"), "PHOTOPIPE_MAX_RECEIVE_COUNT", "'0'", "1 to 1000");
        assertError(env("PHOTOPIPE_ABANDONED_GRACE_MS", "-1"), "PHOTOPIPE_ABANDONED_GRACE_MS", "0 to 60000");
        assertError(env("AWS_ENDPOINT_URL_S3", "localhost:9000"), "AWS_ENDPOINT_URL_S3", "'localhost:9000'");
    }

    private static void assertError(Map<String, String> env, String variable, String... contains) {
        assertThatThrownBy(() -> WorkerConfig.fromEnv(env::get))
                .isInstanceOf(SettingsException.class)
                .satisfies(e -> assertThat(((SettingsException) e).setting()).isEqualTo(variable))
                .hasMessageStartingWith(variable + ": ")
                .hasMessageContainingAll(contains);
    }
}
