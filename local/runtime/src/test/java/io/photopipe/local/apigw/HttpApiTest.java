package io.photopipe.local.apigw;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.photopipe.local.lambda.InvokeResult;
import io.photopipe.local.lambda.Invoker;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** HTTP in, payload 2.0 events to the function, the function's answer back out: API Gateway's rules, one by one. */
class HttpApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private final AtomicReference<JsonNode> lastEvent = new AtomicReference<>();
    private HttpApi api;

    @AfterEach
    void stop() {
        if (api != null) {
            api.close();
        }
    }

    /** A function that records its event and answers {@code answer}. */
    private void serve(String answer) {
        serve((fn, payload) -> ok(fn, answer, payload));
    }

    private void serve(Invoker invoker) {
        api = HttpApi.start("127.0.0.1", 0, invoker, "fn");
    }

    private InvokeResult ok(String fn, String answer, byte[] event) {
        try {
            lastEvent.set(JSON.readTree(event));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return new InvokeResult(fn, true, null, answer.getBytes(StandardCharsets.UTF_8), null, Duration.ofMillis(1),
                false, false, "req-1");
    }

    private HttpResponse<byte[]> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private URI uri(String pathAndQuery) {
        return URI.create(api.endpoint() + pathAndQuery);
    }

    @Test
    void theEventCarriesMethodPathQueryHeadersCookiesAndATextBody() throws Exception {
        serve("{\"statusCode\": 204}");

        send(HttpRequest.newBuilder(uri("/images/a%20b?x=1&x=2&y=%C3%A9"))
                .header("Content-Type", "application/json").header("X-Custom", "v")
                .header("Cookie", "a=1; b=2")
                .POST(HttpRequest.BodyPublishers.ofString("{\"k\":\"v\"}")));

        JsonNode e = lastEvent.get();
        assertThat(e.get("version").asText()).isEqualTo("2.0");
        assertThat(e.get("routeKey").asText()).isEqualTo("$default");
        assertThat(e.get("rawPath").asText()).isEqualTo("/images/a%20b");
        assertThat(e.get("rawQueryString").asText()).isEqualTo("x=1&x=2&y=%C3%A9");
        assertThat(e.get("queryStringParameters").get("x").asText()).isEqualTo("1,2");
        assertThat(e.get("queryStringParameters").get("y").asText()).isEqualTo("é");
        assertThat(e.get("headers").get("x-custom").asText()).isEqualTo("v");
        assertThat(e.get("headers").get("content-type").asText()).isEqualTo("application/json");
        assertThat(e.get("headers").get("x-forwarded-proto").asText()).isEqualTo("http");
        assertThat(e.get("headers").has("cookie")).isFalse();
        assertThat(e.get("cookies")).extracting(JsonNode::asText).containsExactly("a=1", "b=2");
        JsonNode http = e.get("requestContext").get("http");
        assertThat(http.get("method").asText()).isEqualTo("POST");
        assertThat(http.get("path").asText()).isEqualTo("/images/a b");
        assertThat(http.get("sourceIp").asText()).isEqualTo("127.0.0.1");
        assertThat(e.get("requestContext").get("stage").asText()).isEqualTo("$default");
        assertThat(e.get("requestContext").get("domainName").asText()).isEqualTo(api.endpoint().getAuthority());
        assertThat(e.get("body").asText()).isEqualTo("{\"k\":\"v\"}");
        assertThat(e.get("isBase64Encoded").asBoolean()).isFalse();
    }

    @Test
    void binaryBodiesArriveBase64Encoded() throws Exception {
        serve("{\"statusCode\": 200}");
        byte[] bytes = {(byte) 0xff, (byte) 0xd8, 0, 1, 2};

        send(HttpRequest.newBuilder(uri("/upload")).header("Content-Type", "image/jpeg")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)));

        assertThat(lastEvent.get().get("isBase64Encoded").asBoolean()).isTrue();
        assertThat(Base64.getDecoder().decode(lastEvent.get().get("body").asText())).isEqualTo(bytes);
    }

    @Test
    void aFullResponseGivesStatusHeadersCookiesAndBody() throws Exception {
        serve("{\"statusCode\": 201, \"headers\": {\"Location\": \"/x\", \"Content-Type\": \"application/json\"},"
                + " \"cookies\": [\"s=1; Path=/\"], \"body\": \"{\\\"id\\\":1}\", \"isBase64Encoded\": false}");

        HttpResponse<byte[]> response = send(HttpRequest.newBuilder(uri("/uploads"))
                .POST(HttpRequest.BodyPublishers.noBody()));

        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(response.headers().firstValue("Location")).contains("/x");
        assertThat(response.headers().firstValue("Set-Cookie")).contains("s=1; Path=/");
        assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo("{\"id\":1}");
    }

    @Test
    void aBase64BodyIsDecoded() throws Exception {
        serve("{\"statusCode\": 200, \"body\": \"" + Base64.getEncoder().encodeToString(new byte[] {1, 2, 3})
                + "\", \"isBase64Encoded\": true}");
        assertThat(send(HttpRequest.newBuilder(uri("/"))).body()).containsExactly(1, 2, 3);
    }

    @Test
    void jsonWithoutStatusCodeIsA200JsonBody() throws Exception {
        serve("{\"hello\": \"world\"}");

        HttpResponse<byte[]> response = send(HttpRequest.newBuilder(uri("/")));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/json");
        assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo("{\"hello\": \"world\"}");
    }

    @Test
    void aFunctionErrorIsA500InternalServerError() throws Exception {
        serve((fn, payload) -> new InvokeResult(fn, false, "java.lang.IllegalStateException",
                "{\"errorMessage\":\"boom\"}".getBytes(StandardCharsets.UTF_8), null, Duration.ZERO, false, false,
                "req-2"));

        HttpResponse<byte[]> response = send(HttpRequest.newBuilder(uri("/")));

        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(new String(response.body(), StandardCharsets.UTF_8))
                .isEqualTo("{\"message\":\"Internal Server Error\"}");
    }

    @Test
    void aRequestOverTenMegabytesIsRefusedWithoutInvoking() throws Exception {
        serve("{\"statusCode\": 200}");

        HttpResponse<byte[]> response = send(HttpRequest.newBuilder(uri("/uploads"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[HttpApi.MAX_REQUEST_BYTES + 1])));

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(lastEvent.get()).isNull();
    }

    @Test
    void aTakenPortIsReportedClearly() {
        serve("{}");
        int port = api.endpoint().getPort();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> HttpApi.start("127.0.0.1", port, (f, p) -> null,
                "fn")).isInstanceOf(IllegalStateException.class).hasMessageContaining("127.0.0.1:" + port);
    }
}
