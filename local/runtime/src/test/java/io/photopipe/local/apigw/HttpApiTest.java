package io.photopipe.local.apigw;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.photopipe.local.TestFunctions;
import io.photopipe.local.lambda.LambdaOptions;
import io.photopipe.local.lambda.LocalLambda;
import io.photopipe.local.testfn.ApiEchoHandler;
import io.photopipe.local.testfn.RawJsonHandler;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The HTTP API front: requests become payload format 2.0 events, responses map back, errors are API Gateway's. */
class HttpApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    static LocalLambda lambda;
    static HttpApi api;
    static HttpApi raw;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        lambda = LocalLambda.start(LambdaOptions.inProcess());
        lambda.register(TestFunctions.function("api", ApiEchoHandler.class, 10));
        lambda.register(TestFunctions.function("raw", RawJsonHandler.class, 10));
        api = HttpApi.start("127.0.0.1", 0, lambda, "api");
        raw = HttpApi.start("127.0.0.1", 0, lambda, "raw");
    }

    @AfterAll
    static void stop() {
        api.close();
        raw.close();
        lambda.close();
    }

    private static HttpResponse<byte[]> send(HttpRequest.Builder b) throws Exception {
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static URI at(HttpApi a, String pathAndQuery) {
        return URI.create(a.endpoint() + pathAndQuery);
    }

    @Test
    void aRequestBecomesAPayloadFormat2Event() throws Exception {
        HttpResponse<byte[]> r = send(HttpRequest.newBuilder(at(api, "/photos/a%20b?x=1&x=2&y=%C3%A9"))
                .header("Cookie", "s=1; t=2").header("X-Multi", "a").header("User-Agent", "photopipe-test")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"k\":\"v\"}")));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("apigw-requestid")).isPresent();
        JsonNode e = JSON.readTree(r.body());
        assertThat(e.get("version").asText()).isEqualTo("2.0");
        assertThat(e.get("routeKey").asText()).isEqualTo("$default");
        assertThat(e.get("rawPath").asText()).isEqualTo("/photos/a%20b");
        assertThat(e.get("rawQueryString").asText()).isEqualTo("x=1&x=2&y=%C3%A9");
        assertThat(e.at("/queryStringParameters/x").asText()).isEqualTo("1,2");
        assertThat(e.at("/queryStringParameters/y").asText()).isEqualTo("é");
        assertThat(e.get("cookies").toString()).isEqualTo("[\"s=1\",\"t=2\"]");
        assertThat(e.at("/headers/x-multi").asText()).isEqualTo("a");
        assertThat(e.at("/headers/cookie").isMissingNode()).isTrue();
        assertThat(e.at("/requestContext/http/method").asText()).isEqualTo("POST");
        assertThat(e.at("/requestContext/http/path").asText()).isEqualTo("/photos/a%20b");
        assertThat(e.at("/requestContext/http/sourceIp").asText()).isEqualTo("127.0.0.1");
        assertThat(e.at("/requestContext/http/userAgent").asText()).isEqualTo("photopipe-test");
        assertThat(e.at("/requestContext/requestId").asText())
                .isEqualTo(r.headers().firstValue("apigw-requestid").orElseThrow());
        assertThat(e.at("/requestContext/stage").asText()).isEqualTo("$default");
        assertThat(e.at("/requestContext/time").asText()).matches("\\d{2}/\\w{3}/\\d{4}:\\d{2}:\\d{2}:\\d{2} \\+0000");
        assertThat(e.get("body").asText()).isEqualTo("{\"k\":\"v\"}");
        assertThat(e.get("isBase64Encoded").asBoolean()).isFalse();
    }

    @Test
    void aBinaryBodyArrivesBase64Encoded() throws Exception {
        byte[] bytes = {(byte) 0xff, (byte) 0xd8, (byte) 0xff, 0};
        HttpResponse<byte[]> r = send(HttpRequest.newBuilder(at(api, "/upload")).header("Content-Type", "image/jpeg")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)));
        JsonNode e = JSON.readTree(r.body());
        assertThat(e.get("isBase64Encoded").asBoolean()).isTrue();
        assertThat(Base64.getDecoder().decode(e.get("body").asText())).isEqualTo(bytes);
    }

    @Test
    void theResponseMapsStatusHeadersCookiesAndBase64Bodies() throws Exception {
        HttpResponse<byte[]> c = send(HttpRequest.newBuilder(at(api, "/cookies")).GET());
        assertThat(c.statusCode()).isEqualTo(201);
        assertThat(c.headers().firstValue("x-custom")).hasValue("v");
        assertThat(c.headers().allValues("set-cookie")).containsExactly("a=1; Path=/", "b=2");
        assertThat(new String(c.body())).isEqualTo("made");

        HttpResponse<byte[]> b = send(HttpRequest.newBuilder(at(api, "/binary")).GET());
        assertThat(b.body()).containsExactly(0, 1, 2, (byte) 255);
        assertThat(b.headers().firstValue("content-type")).hasValue("application/octet-stream");
    }

    @Test
    void aFunctionErrorIs502InternalServerError() throws Exception {
        HttpResponse<byte[]> r = send(HttpRequest.newBuilder(at(api, "/fail")).GET());
        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(new String(r.body())).isEqualTo("{\"message\":\"Internal Server Error\"}");
    }

    @Test
    void theEventAndResponseRoundTripThroughTheRealRuntimeClient() throws Exception {
        try (LocalLambda child = LocalLambda.start(LambdaOptions.defaults());
             HttpApi front = HttpApi.start("127.0.0.1", 0, child, "api")) {
            child.register(TestFunctions.function("api", ApiEchoHandler.class, 30));
            HttpResponse<byte[]> echo = send(HttpRequest.newBuilder(at(front, "/p?q=1")).header("X-A", "b")
                    .POST(HttpRequest.BodyPublishers.ofString("hi")));
            assertThat(echo.statusCode()).isEqualTo(200);
            JsonNode e = JSON.readTree(echo.body());
            assertThat(e.at("/queryStringParameters/q").asText()).isEqualTo("1");
            assertThat(e.at("/headers/x-a").asText()).isEqualTo("b");
            assertThat(e.at("/requestContext/http/method").asText()).isEqualTo("POST");
            assertThat(e.get("body").asText()).isEqualTo("hi");
            HttpResponse<byte[]> cookies = send(HttpRequest.newBuilder(at(front, "/cookies")).GET());
            assertThat(cookies.statusCode()).isEqualTo(201);
            assertThat(cookies.headers().allValues("set-cookie")).containsExactly("a=1; Path=/", "b=2");
            assertThat(send(HttpRequest.newBuilder(at(front, "/fail")).GET()).statusCode()).isEqualTo(502);
        }
    }

    @Test
    void jsonWithoutAStatusCodeIsInferredAs200Json() throws Exception {
        HttpResponse<byte[]> r = send(HttpRequest.newBuilder(at(raw, "/anything")).GET());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
        assertThat(new String(r.body())).isEqualTo("{\"hello\":\"world\"}");
    }
}
