package io.photopipe.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
                         "corsOrigins": ["https://a.example.com", "http://127.0.0.1:8080"],
                         "uploadsPerClientPerMinute": 30}}""");

        Map<String, String> env = FunctionEnv.api(s, ApiAuth.JWT, "https://api.photos.example.com");

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
                Map.entry(FunctionEnv.CORS_ORIGINS, "https://a.example.com,http://127.0.0.1:8080"),
                Map.entry(FunctionEnv.UPLOADS_PER_CLIENT_PER_MINUTE, "30"),
                Map.entry(FunctionEnv.API_AUTH, "jwt"),
                Map.entry(FunctionEnv.API_BASE_URL, "https://api.photos.example.com"));
    }

    @Test
    void apiAuthValuesRoundTripAndABadOneIsNamed() {
        for (ApiAuth auth : ApiAuth.values()) {
            assertThat(ApiAuth.parse(auth.envValue(), FunctionEnv.API_AUTH)).isEqualTo(auth);
        }
        assertThatThrownBy(() -> ApiAuth.parse("IAM", FunctionEnv.API_AUTH))
                .isInstanceOf(SettingsException.class)
                .hasMessage("PHOTOPIPE_API_AUTH: 'IAM' must be one of [none, iam, jwt]");
    }

    @Test
    void apiEnvOfTheDefaultsUsesTheInputBucketForRenditions() {
        Map<String, String> env = FunctionEnv.api(PipelineSettings.defaults(), ApiAuth.IAM, "");
        assertThat(env.get(FunctionEnv.OUTPUT_BUCKET)).isEqualTo("photopipe-photos");
        assertThat(env.get(FunctionEnv.PUBLIC_BASE_URL)).isEmpty();
        assertThat(env.get(FunctionEnv.CORS_ORIGINS)).as("no origin unless the user names one").isEmpty();
        assertThat(env.get(FunctionEnv.API_BASE_URL)).isEmpty();
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
        Map<String, String> api = FunctionEnv.api(s, ApiAuth.NONE, "");
        for (String name : List.of(FunctionEnv.BUCKET, FunctionEnv.INPUT_PREFIX, FunctionEnv.OUTPUT_BUCKET,
                FunctionEnv.OUTPUT_PREFIX)) {
            assertThat(api.get(name)).as(name).isEqualTo(worker.get(name));
        }
    }
}
