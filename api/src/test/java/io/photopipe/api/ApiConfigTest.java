package io.photopipe.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.photopipe.core.ApiAuth;
import io.photopipe.core.FunctionEnv;
import io.photopipe.core.PipelineSettings;
import io.photopipe.core.SettingsException;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ApiConfigTest {

    private static Map<String, String> env() {
        return new HashMap<>(FunctionEnv.api(PipelineSettings.defaults(), ApiAuth.IAM, ""));
    }

    @Test
    void readsWhatFunctionEnvWritesForTheDefaults() {
        ApiConfig config = ApiConfig.fromEnv(env()::get);

        PipelineSettings.Api defaults = PipelineSettings.defaults().api();
        assertThat(config.bucket()).isEqualTo("photopipe-photos");
        assertThat(config.inputPrefix()).isEqualTo("uploads/");
        assertThat(config.outputBucket()).isEqualTo("photopipe-photos");
        assertThat(config.outputPrefix()).isEqualTo("renditions/");
        assertThat(config.maxUploadBytes()).isEqualTo(defaults.maxUploadBytes());
        assertThat(config.allowedContentTypes()).isEqualTo(defaults.allowedContentTypes());
        assertThat(config.uploadUrlExpiry()).isEqualTo(Duration.ofSeconds(defaults.uploadUrlExpirySeconds()));
        assertThat(config.downloadUrlExpiry()).isEqualTo(Duration.ofSeconds(defaults.downloadUrlExpirySeconds()));
        assertThat(config.publicBaseUrl()).isEmpty();
        assertThat(config.corsOrigins()).isEmpty();
        assertThat(config.auth()).isEqualTo(ApiAuth.IAM);
        assertThat(config.apiBaseUrl()).isEmpty();
        assertThat(config.uploadsPerClientPerMinute()).isEqualTo(defaults.uploadsPerClientPerMinute());
        assertThat(config.s3Endpoint()).isNull();
    }

    @Test
    void takesTheStandardS3EndpointVariableAndTrimsThePublicBaseUrl() {
        Map<String, String> env = env();
        env.put("AWS_ENDPOINT_URL", "http://127.0.0.1:1");
        env.put("AWS_ENDPOINT_URL_S3", "http://127.0.0.1:9000");
        env.put(FunctionEnv.PUBLIC_BASE_URL, "https://cdn.example.com/photos/");
        env.put(FunctionEnv.CORS_ORIGINS, " http://127.0.0.1:8080 , https://photos.example.com ");
        env.put(FunctionEnv.OUTPUT_BUCKET, "");

        ApiConfig config = ApiConfig.fromEnv(env::get);

        assertThat(config.s3Endpoint()).isEqualTo(URI.create("http://127.0.0.1:9000"));
        assertThat(config.publicBaseUrl()).isEqualTo("https://cdn.example.com/photos");
        assertThat(config.corsOrigins()).containsExactly("http://127.0.0.1:8080", "https://photos.example.com");
        assertThat(config.outputBucket()).as("empty means the input bucket").isEqualTo("photopipe-photos");
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "PHOTOPIPE_BUCKET|Bad_Bucket|not a valid S3 bucket name",
            "PHOTOPIPE_BUCKET||is required",
            "PHOTOPIPE_INPUT_PREFIX|uploads|must be empty or end with '/'",
            "PHOTOPIPE_OUTPUT_PREFIX||is required",
            "PHOTOPIPE_MAX_UPLOAD_BYTES|ten|'ten' is not a whole number",
            "PHOTOPIPE_MAX_UPLOAD_BYTES|0|must be positive",
            "PHOTOPIPE_ALLOWED_CONTENT_TYPES|jpeg|'jpeg' is not a content type",
            "PHOTOPIPE_ALLOWED_CONTENT_TYPES|,|needs at least one content type",
            "PHOTOPIPE_UPLOAD_URL_EXPIRY_SECONDS|604801|must be from 1 to 604800",
            "PHOTOPIPE_DOWNLOAD_URL_EXPIRY_SECONDS|0|must be from 1 to 604800",
            "PHOTOPIPE_PUBLIC_BASE_URL|cdn.example.com|must be empty or an absolute http(s) URL",
            "PHOTOPIPE_CORS_ORIGINS|https://a.example.com/|must be '*' or an origin",
            "AWS_ENDPOINT_URL_S3|127.0.0.1:9000|must be an absolute http(s) URL",
            "PHOTOPIPE_API_AUTH||is required",
            "PHOTOPIPE_API_AUTH|cognito|'cognito' must be one of [none, iam, jwt]",
            "PHOTOPIPE_API_BASE_URL|api.example.com|must be empty or an absolute http(s) URL",
            "PHOTOPIPE_UPLOADS_PER_CLIENT_PER_MINUTE|0|must be from 1 to 1000",
            "PHOTOPIPE_UPLOADS_PER_CLIENT_PER_MINUTE|99999999999|must be from 1 to 1000",
    })
    void errorsNameTheVariableAndTheValue(String name, String value, String expected) {
        Map<String, String> env = env();
        env.put(name, value == null ? "" : value);

        assertThatThrownBy(() -> ApiConfig.fromEnv(env::get))
                .isInstanceOf(SettingsException.class)
                .hasMessageStartingWith(name + ": ")
                .hasMessageContaining(expected)
                .satisfies(e -> assertThat(((SettingsException) e).setting()).isEqualTo(name));
    }

    @Test
    void contentTypesAreComparedInLowerCase() {
        Map<String, String> env = env();
        env.put(FunctionEnv.ALLOWED_CONTENT_TYPES, "Image/JPEG, image/png");
        assertThat(ApiConfig.fromEnv(env::get).allowedContentTypes()).isEqualTo(List.of("image/jpeg", "image/png"));
    }
}
