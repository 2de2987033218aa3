package io.photopipe.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FunctionEnvTest {

    @Test
    void apiEnvCarriesTheApiSettingsAndTheLayout() {
        PipelineSettings s = PipelineSettings.fromJson("""
                {"outputBucket": "my-renditions",
                 "api": {"maxUploadBytes": 1048576, "allowedContentTypes": ["image/jpeg", "image/png"],
                         "uploadUrlExpirySeconds": 60, "downloadUrlExpirySeconds": 120,
                         "publicBaseUrl": "https://cdn.example.com",
                         "corsOrigins": ["https://a.example.com", "http://127.0.0.1:8080"]}}""");

        Map<String, String> env = FunctionEnv.api(s);

        assertThat(env).containsExactly(
                Map.entry(FunctionEnv.BUCKET, "photopipe-photos"),
                Map.entry(FunctionEnv.INPUT_PREFIX, "uploads/"),
                Map.entry(FunctionEnv.OUTPUT_BUCKET, "my-renditions"),
                Map.entry(FunctionEnv.OUTPUT_PREFIX, "renditions/"),
                Map.entry(FunctionEnv.MAX_UPLOAD_BYTES, "1048576"),
                Map.entry(FunctionEnv.ALLOWED_CONTENT_TYPES, "image/jpeg,image/png"),
                Map.entry(FunctionEnv.UPLOAD_URL_EXPIRY_SECONDS, "60"),
                Map.entry(FunctionEnv.DOWNLOAD_URL_EXPIRY_SECONDS, "120"),
                Map.entry(FunctionEnv.PUBLIC_BASE_URL, "https://cdn.example.com"),
                Map.entry(FunctionEnv.CORS_ORIGINS, "https://a.example.com,http://127.0.0.1:8080"));
    }

    @Test
    void apiEnvOfTheDefaultsUsesTheInputBucketForRenditions() {
        Map<String, String> env = FunctionEnv.api(PipelineSettings.defaults());
        assertThat(env.get(FunctionEnv.OUTPUT_BUCKET)).isEqualTo("photopipe-photos");
        assertThat(env.get(FunctionEnv.PUBLIC_BASE_URL)).isEmpty();
        assertThat(List.of(env.get(FunctionEnv.ALLOWED_CONTENT_TYPES).split(",")))
                .isEqualTo(PipelineSettings.defaults().api().allowedContentTypes());
    }

    @Test
    void theWorkerKnowsTheQueuesMaxReceiveCount() {
        PipelineSettings s = PipelineSettings.fromJson("{\"queue\": {\"maxReceiveCount\": 7}}");
        assertThat(FunctionEnv.worker(s, "dlq", "results")).containsEntry(FunctionEnv.MAX_RECEIVE_COUNT, "7");
    }

    @Test
    void workerAndApiAgreeOnTheSharedVariables() {
        PipelineSettings s = PipelineSettings.defaults();
        Map<String, String> worker = FunctionEnv.worker(s, "dlq", "results");
        Map<String, String> api = FunctionEnv.api(s);
        for (String name : List.of(FunctionEnv.BUCKET, FunctionEnv.INPUT_PREFIX, FunctionEnv.OUTPUT_BUCKET,
                FunctionEnv.OUTPUT_PREFIX)) {
            assertThat(api.get(name)).as(name).isEqualTo(worker.get(name));
        }
    }
}
