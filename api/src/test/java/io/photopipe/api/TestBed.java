package io.photopipe.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.photopipe.api.internal.S3ObjectStore;
import io.photopipe.core.ApiAuth;
import io.photopipe.core.FunctionEnv;
import io.photopipe.core.PipelineSettings;
import io.photopipe.local.servers.EmbeddedS3;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse.BodyHandlers;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * An API over a real S3 server (S3Proxy, which checks signatures) with the real SDK, configured the way Lambda
 * configures it ({@link FunctionEnv#api} then {@link ApiConfig#fromEnv}), with a clock tests can move. It is
 * deployed behind a JWT authorizer unless {@code env} says otherwise, and requests come from {@link #ALICE} unless a
 * test names another caller.
 */
final class TestBed implements AutoCloseable {
    static final String ISSUER = "https://issuer.example.com/";
    static final Identity ALICE = Identity.jwt(ISSUER, "alice", "203.0.113.7");
    static final Identity BOB = Identity.jwt(ISSUER, "bob", "198.51.100.23");
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    final EmbeddedS3 s3;
    final ApiConfig config;
    final MovableClock clock = new MovableClock();
    final PhotoApi api;

    private TestBed(EmbeddedS3 s3, ApiConfig config) {
        this.s3 = s3;
        this.config = config;
        this.api = new PhotoApi(config, new S3ObjectStore(s3.client(), s3.presigner()), clock, new SecureRandom());
    }

    /** A test bed with the default settings, changed by {@code env}. */
    static TestBed start(Consumer<Map<String, String>> env) {
        EmbeddedS3 s3 = EmbeddedS3.start(EmbeddedS3.Options.builder().cors(EmbeddedS3.Cors.allowAll()).build());
        Map<String, String> vars = new HashMap<>(FunctionEnv.api(PipelineSettings.defaults(), ApiAuth.JWT, ""));
        env.accept(vars);
        ApiConfig config = ApiConfig.fromEnv(vars::get);
        s3.createBucket(config.bucket());
        s3.createBucket(config.outputBucket());
        return new TestBed(s3, config);
    }

    static TestBed start() {
        return start(env -> { });
    }

    HttpResponse post(String path, String body) {
        return post(path, body, ALICE);
    }

    HttpResponse post(String path, String body, Identity caller) {
        return api.handle(new HttpRequest("POST", path, Map.of("Content-Type", "application/json"), body,
                "https://abc123def4.execute-api.eu-west-1.amazonaws.com", caller));
    }

    HttpResponse get(String path) {
        return get(path, ALICE);
    }

    HttpResponse get(String path, Identity caller) {
        return api.handle(new HttpRequest("GET", path, Map.of(), "",
                "https://abc123def4.execute-api.eu-west-1.amazonaws.com", caller));
    }

    /** POSTs a valid declaration as {@link #ALICE} and returns the 201 body. */
    JsonNode createUpload(String fileName, String contentType, long size) {
        return createUpload(fileName, contentType, size, ALICE);
    }

    /** POSTs a valid declaration and returns the 201 body. */
    JsonNode createUpload(String fileName, String contentType, long size, Identity caller) {
        HttpResponse response = post("/uploads", "{\"fileName\": " + quote(fileName) + ", \"contentType\": "
                + quote(contentType) + ", \"size\": " + size + "}", caller);
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        return json(response);
    }

    /** Declares a photo as {@link #ALICE} and uploads it with its presigned PUT, which must succeed; the 201 body. */
    JsonNode createAndUpload(String fileName, String contentType, byte[] bytes) {
        JsonNode created = createUpload(fileName, contentType, bytes.length);
        var response = upload(created.get("upload"), bytes, Map.of());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return created;
    }

    /** Sends {@code bytes} to a presigned upload with a real HTTP client, as a browser or curl would. */
    java.net.http.HttpResponse<String> upload(JsonNode upload, byte[] bytes, Map<String, String> headerOverrides) {
        // Expect: 100-continue, as curl sends for large bodies: S3 answers a refused upload (403) before the body is
        // sent. Without it, a server that refuses early and closes the connection races the client's body and the
        // client can see a reset instead of the 403 (seen as "header parser received no bytes").
        java.net.http.HttpRequest.Builder request = java.net.http.HttpRequest.newBuilder(
                URI.create(upload.get("url").asText())).timeout(Duration.ofSeconds(20)).expectContinue(true);
        Map<String, String> headers = new HashMap<>();
        upload.get("headers").properties().forEach(e -> headers.put(e.getKey(), e.getValue().asText()));
        headers.putAll(headerOverrides);
        headers.forEach(request::header);
        try {
            return HTTP.send(request.method(upload.get("method").asText(),
                    java.net.http.HttpRequest.BodyPublishers.ofByteArray(bytes)).build(), BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static byte[] fetch(String url) {
        try {
            java.net.http.HttpResponse<byte[]> response = HTTP.send(java.net.http.HttpRequest.newBuilder(
                    URI.create(url)).timeout(Duration.ofSeconds(20)).build(), BodyHandlers.ofByteArray());
            assertThat(response.statusCode()).as("GET %s", url).isEqualTo(200);
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static JsonNode json(HttpResponse response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String quote(String text) {
        try {
            return JSON.writeValueAsString(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] photo(String name) {
        try (InputStream in = TestBed.class.getResourceAsStream("/photos/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing test photo " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        s3.close();
    }

    /** The real clock, plus an offset a test can move forward. */
    static final class MovableClock extends Clock {
        private volatile Duration offset = Duration.ZERO;

        void advance(Duration by) {
            offset = offset.plus(by);
        }

        void reset() {
            offset = Duration.ZERO;
        }

        @Override
        public Instant instant() {
            return Instant.now().plus(offset);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
