package io.photopipe.local.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.photopipe.core.ApiAuth;
import io.photopipe.core.FunctionEnv;
import io.photopipe.core.PipelineSettings;
import io.photopipe.local.lambda.FunctionConfig;
import io.photopipe.local.lambda.InvokeResult;
import io.photopipe.local.lambda.LambdaOptions;
import io.photopipe.local.lambda.LocalLambda;
import io.photopipe.local.servers.EmbeddedS3;
import io.photopipe.local.stack.LocalOptions;
import io.photopipe.local.stack.LocalStack;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The upload API's deployment jar as Lambda runs it: a child JVM with the real runtime interface client, the
 * environment {@link FunctionEnv#api} describes, API Gateway payload 2.0 events in and out (the RIC's own
 * serialisation of {@code APIGatewayV2HTTPEvent} and its response, which unit tests do not exercise).
 */
class ApiFunctionChildJvmTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path logs;
    static EmbeddedS3 s3;
    static LocalLambda lambda;

    @BeforeAll
    static void start() {
        Path jar = LocalOptions.findProjectRoot(Path.of("")).resolve(LocalOptions.API_JAR);
        Assumptions.assumeTrue(Files.isRegularFile(jar), jar + " is not built (./mvnw -pl api package)");
        PipelineSettings settings = PipelineSettings.defaults();
        s3 = EmbeddedS3.start();
        s3.createBucket(settings.bucket());
        // As the local stack configures it: anonymous, links on its own address
        Map<String, String> env = new LinkedHashMap<>(
                FunctionEnv.api(settings, ApiAuth.NONE, "http://127.0.0.1:8080"));
        env.put("AWS_ENDPOINT_URL_S3", s3.endpoint().toString());
        lambda = LocalLambda.start(LambdaOptions.defaults().withLogDirectory(logs));
        lambda.register(new FunctionConfig(LocalStack.API_FUNCTION, jar, LocalStack.API_HANDLER, 512, 10, env));
    }

    @AfterAll
    static void stop() {
        if (lambda != null) {
            lambda.close();
        }
        if (s3 != null) {
            s3.close();
        }
    }

    @Test
    void postUploadsThroughTheRuntimeClientAnswers201WithAPresignedPut() throws IOException {
        InvokeResult result = invoke("POST", "/uploads",
                "{\"fileName\":\"../cat.jpg\",\"contentType\":\"image/jpeg\",\"size\":1234}");

        assertThat(result.ok()).as(result.toString()).isTrue();
        JsonNode response = JSON.readTree(result.payload());
        assertThat(response.get("statusCode").asInt()).as(result.toString()).isEqualTo(201);
        assertThat(response.get("headers").get("Location").asText()).startsWith("http://127.0.0.1:8080/images/");
        JsonNode body = JSON.readTree(response.get("body").asText());
        assertThat(body.get("upload").get("url").asText())
                .startsWith(s3.endpoint() + "/photopipe-photos/uploads/" + body.get("id").asText() + "/cat.jpg?");
    }

    @Test
    void errorsAndThePageComeBackThroughTheRuntimeClientToo() throws IOException {
        JsonNode error = JSON.readTree(invoke("POST", "/uploads", "{\"fileName\":\"a.txt\","
                + "\"contentType\":\"text/plain\",\"size\":1}").payload());
        assertThat(error.get("statusCode").asInt()).isEqualTo(415);
        assertThat(JSON.readTree(error.get("body").asText()).get("code").asText())
                .isEqualTo("unsupported-content-type");

        JsonNode page = JSON.readTree(invoke("GET", "/", null).payload());
        assertThat(page.get("statusCode").asInt()).isEqualTo(200);
        assertThat(page.get("headers").get("Content-Type").asText()).isEqualTo("text/html; charset=utf-8");
        assertThat(page.get("body").asText()).contains("<title>photopipe");
    }

    private static InvokeResult invoke(String method, String path, String body) throws IOException {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("version", "2.0");
        event.put("routeKey", "$default");
        event.put("rawPath", path);
        event.put("rawQueryString", "");
        event.put("headers", Map.of("host", "127.0.0.1:8080", "content-type", "application/json"));
        event.put("requestContext", Map.of("stage", "$default", "domainName", "127.0.0.1",
                "http", Map.of("method", method, "path", path, "protocol", "HTTP/1.1", "sourceIp", "127.0.0.1")));
        if (body != null) {
            event.put("body", body);
        }
        event.put("isBase64Encoded", false);
        return lambda.invoke(LocalStack.API_FUNCTION, JSON.writeValueAsString(event).getBytes(StandardCharsets.UTF_8));
    }
}
