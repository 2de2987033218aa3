package io.photopipe.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.photopipe.core.ApiAuth;
import io.photopipe.core.FunctionEnv;
import io.photopipe.core.PipelineSettings;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Lambda adapter: API Gateway HTTP API events in, responses out; routing, CORS and errors end to end. */
class ApiHandlerTest {
    private static final ObjectMapper EVENTS = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static TestBed bed;
    private static ApiHandler handler;

    @BeforeAll
    static void start() {
        bed = TestBed.start();
        handler = new ApiHandler(bed.api);
    }

    @AfterAll
    static void stop() {
        bed.close();
    }

    @Test
    void anHttpApiEventBecomesAnUploadWithHttpsLinksOnTheApisDomain() throws IOException {
        APIGatewayV2HTTPResponse response = handler.handleRequest(event("http-api-post-uploads.json"), null);

        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(201);
        JsonNode body = TestBed.JSON.readTree(response.getBody());
        String id = body.get("id").asText();
        assertThat(body.get("statusUrl").asText())
                .isEqualTo("https://abc123def4.execute-api.eu-west-1.amazonaws.com/images/" + id);
        assertThat(response.getHeaders()).containsEntry("Location", body.get("statusUrl").asText())
                .containsEntry("Content-Type", "application/json")
                .as("no CORS origin is configured by default").doesNotContainKey("Access-Control-Allow-Origin");
        assertThat(body.get("fileName").asText()).isEqualTo("IMG_0042-HEIC.jpg");
        assertThat(response.getIsBase64Encoded()).isFalse();
    }

    @Test
    void theCallerIsWhomTheAuthorizerNamed() throws IOException {
        assertThat(ApiHandler.toRequest(event("http-api-post-uploads.json")).identity()).isEqualTo(Identity.jwt(
                "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Example",
                "5b1c8a0e-3f2d-4c6b-9e7a-2d4f6a8b0c1e", "203.0.113.7"));
        assertThat(ApiHandler.toRequest(event("http-api-get-image-named-stage-base64.json")).identity()).isEqualTo(
                Identity.iam("arn:aws:sts::123456789012:assumed-role/PhotoUploader/alice", "203.0.113.7"));
        // A header cannot make anyone somebody: only requestContext.authorizer can
        APIGatewayV2HTTPEvent unsigned = event("http-api-post-uploads.json");
        unsigned.getRequestContext().setAuthorizer(null);
        assertThat(ApiHandler.toRequest(unsigned).identity()).isEqualTo(Identity.anonymous("203.0.113.7"));
    }

    @Test
    void aNamedStageIsStrippedFromTheRouteAndKeptInLinks() throws IOException {
        APIGatewayV2HTTPEvent event = event("http-api-get-image-named-stage-base64.json");
        HttpRequest request = ApiHandler.toRequest(event);
        assertThat(request.path()).isEqualTo("/images/01jdq3zk7m8x9v2t4r6p0n1b5c");
        assertThat(request.baseUrl()).isEqualTo("https://api.photos.example.com/prod");

        try (TestBed iam = TestBed.start(env -> env.put(FunctionEnv.API_AUTH, "iam"))) {
            APIGatewayV2HTTPResponse response = new ApiHandler(iam.api).handleRequest(event, null);
            assertThat(response.getStatusCode()).isEqualTo(404);
            assertThat(TestBed.JSON.readTree(response.getBody()).get("code").asText()).isEqualTo("image-not-found");
        }
    }

    @Test
    void aHostileHostHeaderNeverReachesALink() throws IOException {
        APIGatewayV2HTTPEvent event = event("http-api-post-uploads.json");
        event.getHeaders().put("host", "evil.example.com");
        event.getHeaders().put("x-forwarded-host", "evil.example.com");
        event.getHeaders().put("x-forwarded-proto", "http");

        APIGatewayV2HTTPResponse response = handler.handleRequest(event, null);

        assertThat(response.getStatusCode()).isEqualTo(201);
        assertThat(response.getHeaders().get("Location"))
                .startsWith("https://abc123def4.execute-api.eu-west-1.amazonaws.com/images/");
        assertThat(response.getBody()).doesNotContain("evil.example.com");

        // Without a domain from API Gateway the links are relative, still not the Host
        event.getRequestContext().setDomainName(null);
        assertThat(handler.handleRequest(event, null).getHeaders().get("Location")).startsWith("/images/");
    }

    @Test
    void theConfiguredPublicBaseUrlWinsOverTheDomain() throws IOException {
        try (TestBed custom = TestBed.start(env -> env.put(FunctionEnv.API_BASE_URL,
                "https://api.photos.example.com/v1/"))) {
            APIGatewayV2HTTPEvent event = event("http-api-post-uploads.json");
            event.getHeaders().put("host", "evil.example.com");

            APIGatewayV2HTTPResponse response = new ApiHandler(custom.api).handleRequest(event, null);

            assertThat(response.getHeaders().get("Location")).startsWith("https://api.photos.example.com/v1/images/");
        }
    }

    @Test
    void aRequestWithoutTheIdentityTheDeploymentRequiresIsRefused() throws IOException {
        APIGatewayV2HTTPEvent anonymous = event("http-api-post-uploads.json");
        anonymous.getRequestContext().setAuthorizer(null);
        APIGatewayV2HTTPEvent iamCaller = event("http-api-get-image-named-stage-base64.json");

        for (APIGatewayV2HTTPEvent refused : List.of(anonymous, iamCaller)) {
            APIGatewayV2HTTPResponse response = handler.handleRequest(refused, null);
            assertThat(response.getStatusCode()).as(refused.getRawPath()).isEqualTo(401);
            assertThat(response.getHeaders()).containsEntry("WWW-Authenticate", "Bearer");
            assertThat(TestBed.JSON.readTree(response.getBody()).get("code").asText()).isEqualTo("unauthenticated");
        }
        try (TestBed iam = TestBed.start(env -> env.put(FunctionEnv.API_AUTH, "iam"))) {
            APIGatewayV2HTTPResponse response = new ApiHandler(iam.api).handleRequest(
                    event("http-api-post-uploads.json"), null);
            assertThat(response.getStatusCode()).isEqualTo(401);
            assertThat(response.getHeaders()).containsEntry("WWW-Authenticate", "AWS4-HMAC-SHA256");
        }
    }

    @Test
    void base64BodiesAreDecoded() throws IOException {
        APIGatewayV2HTTPEvent event = event("http-api-post-uploads.json");
        event.setBody(Base64.getEncoder().encodeToString(
                "{\"fileName\":\"b.png\",\"contentType\":\"image/png\",\"size\":3}".getBytes(StandardCharsets.UTF_8)));
        event.setIsBase64Encoded(true);

        APIGatewayV2HTTPResponse response = handler.handleRequest(event, null);

        assertThat(response.getStatusCode()).isEqualTo(201);
        assertThat(TestBed.JSON.readTree(response.getBody()).get("fileName").asText()).isEqualTo("b.png");
    }

    @Test
    void thePageIsServedAtTheRootWithAStrictPolicyAndNoExternalResources() {
        APIGatewayV2HTTPResponse response = handler.handleRequest(request("GET", "/", Map.of()), null);

        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(response.getHeaders().get("Content-Type")).isEqualTo("text/html; charset=utf-8");
        assertThat(response.getHeaders().get("Content-Security-Policy"))
                .contains("default-src 'none'", "script-src 'unsafe-inline'", "frame-ancestors 'none'");
        String page = response.getBody();
        assertThat(page).startsWith("<!doctype html>").contains("<title>photopipe")
                .doesNotContainPattern("(src|href)=\"(https?:)?//")
                .doesNotContainPattern("@import|url\\((https?:)?//")
                .doesNotContain("<script src", "<link rel=\"stylesheet\"")
                .contains("JPEG, PNG, WebP, GIF, TIFF or BMP, up to 50 MB each");
    }

    @Test
    void wrongMethodsAre405WithAllow() throws IOException {
        for (var c : Map.of("/uploads", "POST", "/images/01jdq3zk7m8x9v2t4r6p0n1b5c", "GET", "/", "GET, HEAD")
                .entrySet()) {
            APIGatewayV2HTTPResponse response = handler.handleRequest(request("DELETE", c.getKey(), Map.of()), null);
            assertThat(response.getStatusCode()).as(c.getKey()).isEqualTo(405);
            assertThat(response.getHeaders()).containsEntry("Allow", c.getValue());
            assertThat(TestBed.JSON.readTree(response.getBody()).get("code").asText()).isEqualTo("method-not-allowed");
        }
    }

    @Test
    void unknownRoutesAre404() throws IOException {
        for (String path : new String[] {"/nope", "/images/", "/images/a/b", "/uploads/x"}) {
            APIGatewayV2HTTPResponse response = handler.handleRequest(request("GET", path, Map.of()), null);
            assertThat(response.getStatusCode()).as(path).isEqualTo(404);
            assertThat(TestBed.JSON.readTree(response.getBody()).get("code").asText()).isEqualTo("not-found");
        }
    }

    @Test
    void preflightIsAnsweredForAnyOriginOnlyWhenStarIsConfigured() {
        APIGatewayV2HTTPEvent preflight = request("OPTIONS", "/uploads", Map.of("Origin", "https://x.example.com",
                "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "content-type"));
        assertThat(handler.handleRequest(preflight, null).getHeaders())
                .as("no origin by default").doesNotContainKeys("Access-Control-Allow-Origin",
                        "Access-Control-Allow-Methods");

        try (TestBed any = TestBed.start(env -> env.put(FunctionEnv.CORS_ORIGINS, "*"))) {
            APIGatewayV2HTTPResponse response = new ApiHandler(any.api).handleRequest(preflight, null);

            assertThat(response.getStatusCode()).isEqualTo(204);
            assertThat(response.getHeaders()).containsEntry("Access-Control-Allow-Origin", "*")
                    .containsEntry("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
                    .containsEntry("Access-Control-Allow-Headers", "Content-Type, Authorization")
                    .containsEntry("Access-Control-Max-Age", "600");
        }
    }

    @Test
    void listedOriginsAreEchoedAndOthersGetNoCorsHeaders() {
        try (TestBed listed = TestBed.start(env -> env.put(FunctionEnv.CORS_ORIGINS,
                "https://photos.example.com,http://127.0.0.1:8080"))) {
            ApiHandler strict = new ApiHandler(listed.api);

            APIGatewayV2HTTPResponse allowed = strict.handleRequest(request("GET", "/images/x",
                    Map.of("Origin", "https://photos.example.com")), null);
            assertThat(allowed.getHeaders()).containsEntry("Access-Control-Allow-Origin", "https://photos.example.com")
                    .containsEntry("Vary", "Origin")
                    .containsEntry("Access-Control-Expose-Headers", "Location");

            APIGatewayV2HTTPResponse other = strict.handleRequest(request("GET", "/images/x",
                    Map.of("Origin", "https://evil.example.com")), null);
            assertThat(other.getHeaders()).doesNotContainKey("Access-Control-Allow-Origin")
                    .containsEntry("Vary", "Origin");

            APIGatewayV2HTTPResponse preflight = strict.handleRequest(request("OPTIONS", "/uploads",
                    Map.of("Origin", "https://evil.example.com", "Access-Control-Request-Method", "POST")), null);
            assertThat(preflight.getStatusCode()).isEqualTo(204);
            assertThat(preflight.getHeaders()).doesNotContainKeys("Access-Control-Allow-Origin",
                    "Access-Control-Allow-Methods");
        }
    }

    @Test
    void unexpectedFailuresAre500WithoutInternals() throws IOException {
        ObjectStore broken = new ObjectStore() {
            @Override
            public Optional<String> readText(String bucket, String key) {
                throw new IllegalStateException("secret internals: connection refused to 10.0.0.1");
            }

            @Override
            public Optional<Head> head(String bucket, String key) {
                throw new IllegalStateException("unused");
            }

            @Override
            public List<String> listKeys(String bucket, String prefix, String startAfter, int max) {
                throw new IllegalStateException("unused");
            }

            @Override
            public boolean createText(String bucket, String key, String contentType, String text,
                                      Map<String, String> tags) {
                throw new IllegalStateException("unused");
            }

            @Override
            public PresignedUpload presignPut(String bucket, String key, String contentType, long contentLength,
                                              Map<String, String> metadata, Duration expiry) {
                throw new IllegalStateException("unused");
            }

            @Override
            public URI presignGet(String bucket, String key, Duration expiry) {
                throw new IllegalStateException("unused");
            }
        };
        Map<String, String> env = new HashMap<>(FunctionEnv.api(PipelineSettings.defaults(), ApiAuth.JWT, ""));
        ApiHandler failing = new ApiHandler(new PhotoApi(ApiConfig.fromEnv(env::get), broken));

        APIGatewayV2HTTPResponse response = failing.handleRequest(
                request("GET", "/images/01jdq3zk7m8x9v2t4r6p0n1b5c", Map.of()), null);

        assertThat(response.getStatusCode()).isEqualTo(500);
        JsonNode body = TestBed.JSON.readTree(response.getBody());
        assertThat(body.get("code").asText()).isEqualTo("internal-error");
        assertThat(body.get("message").asText()).doesNotContain("10.0.0.1");
    }

    private static APIGatewayV2HTTPEvent event(String name) throws IOException {
        try (InputStream in = ApiHandlerTest.class.getResourceAsStream("/events/" + name)) {
            return EVENTS.readValue(in, APIGatewayV2HTTPEvent.class);
        }
    }

    /** A request of {@link TestBed#ALICE}, as a JWT authorizer passes it on. */
    private static APIGatewayV2HTTPEvent request(String method, String path, Map<String, String> headers) {
        return APIGatewayV2HTTPEvent.builder()
                .withRawPath(path)
                .withHeaders(headers)
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withStage("$default")
                        .withAuthorizer(APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder()
                                .withJwt(APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT.builder()
                                        .withClaims(Map.of("iss", TestBed.ISSUER, "sub", "alice")).build())
                                .build())
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod(method).withPath(path)
                                .build())
                        .build())
                .build();
    }
}
