package io.photopipe.local.servers;

import io.photopipe.local.servers.S3Faults.Fault;
import io.photopipe.local.servers.S3Faults.Kind;
import io.photopipe.local.servers.S3Faults.RequestMatcher;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Each fault kind as the real SDK sees it, from the real server over HTTP. */
class S3FaultInjectionTest {

    static EmbeddedS3 s3;
    static S3Client noRetries;

    @BeforeAll
    static void start() {
        s3 = EmbeddedS3.start();
        s3.createBucket("photos");
        noRetries = s3.clientBuilder()
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
        noRetries.putObject(b -> b.bucket("photos").key("uploads/good/a.jpg"), RequestBody.fromString("good"));
        noRetries.putObject(b -> b.bucket("photos").key("uploads/bad/b.jpg"), RequestBody.fromString("bad"));
    }

    @AfterAll
    static void stop() {
        noRetries.close();
        s3.close();
    }

    @BeforeEach
    void noFaults() {
        s3.faults().clear();
    }

    @Test
    void slowDownIs503WithS3ErrorCode() {
        s3.faults().failNext(1, Fault.slowDown());
        assertThatThrownBy(() -> get("uploads/good/a.jpg"))
                .isInstanceOfSatisfying(S3Exception.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(503);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("SlowDown");
                    assertThat(e.isThrottlingException()).isTrue();
                });
        assertThat(s3.faults().count(Kind.SLOW_DOWN)).isEqualTo(1);
        assertThat(get("uploads/good/a.jpg")).as("only the next request failed").isEqualTo("good");
    }

    @Test
    void faultOnHeadHasNoBodyButTheStatus() {
        s3.faults().failNext(1, Fault.slowDown(), RequestMatcher.method("HEAD"));
        assertThatThrownBy(() -> noRetries.headObject(b -> b.bucket("photos").key("uploads/good/a.jpg")))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(503));
        assertThat(noRetries.headObject(b -> b.bucket("photos").key("uploads/good/a.jpg")).contentLength())
                .isEqualTo(4L);
    }

    @Test
    void internalErrorIs500WithS3ErrorCode() {
        s3.faults().failNext(1, Fault.internalError());
        assertThatThrownBy(() -> get("uploads/good/a.jpg"))
                .isInstanceOfSatisfying(S3Exception.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(500);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InternalError");
                });
        assertThat(s3.faults().count(Kind.INTERNAL_ERROR)).isEqualTo(1);
    }

    @Test
    void errorOnUploadWithBodyIsReadByTheClient() {
        // The SDK's PutObject waits for 100-continue; the proxy must answer without reading the body.
        s3.faults().failNext(1, Fault.slowDown(), RequestRules.PUT);
        assertThatThrownBy(() -> noRetries.putObject(b -> b.bucket("photos").key("uploads/x.jpg"),
                RequestBody.fromBytes(new byte[256 * 1024])))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(503));
    }

    @Test
    void errorOnUploadWithoutExpectContinueStillDeliversTheStatus() throws Exception {
        // A browser-like client sends the body right away: the proxy drains it so the 503 is not lost in a reset.
        var url = s3.presigner().presignPutObject(p -> p.signatureDuration(Duration.ofMinutes(5))
                .putObjectRequest(r -> r.bucket("photos").key("uploads/browser.jpg"))).url();
        s3.faults().failNext(1, Fault.slowDown());
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(url.toURI())
                .PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[2 * 1024 * 1024])).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.body()).contains("<Code>SlowDown</Code>");
    }

    @Test
    void droppedConnectionIsAClientSideFailure() {
        s3.faults().failNext(1, Fault.drop());
        assertThatThrownBy(() -> get("uploads/good/a.jpg"))
                .isInstanceOf(SdkClientException.class)
                .isNotInstanceOf(S3Exception.class);
        assertThat(s3.faults().count(Kind.DROP)).isEqualTo(1);
        assertThat(get("uploads/good/a.jpg")).isEqualTo("good");
    }

    @Test
    void latencyTripsTheAttemptTimeout() {
        s3.faults().failNext(1, Fault.latency(Duration.ofSeconds(3)));
        try (S3Client impatient = s3.clientBuilder().overrideConfiguration(o -> o
                .retryStrategy(AwsRetryStrategy.doNotRetry())
                .apiCallAttemptTimeout(Duration.ofMillis(300))).build()) {
            assertThatThrownBy(() -> impatient.getObjectAsBytes(b -> b.bucket("photos").key("uploads/good/a.jpg")))
                    .isInstanceOf(ApiCallAttemptTimeoutException.class);
        }
        assertThat(s3.faults().count(Kind.LATENCY)).isEqualTo(1);
    }

    @Test
    void defaultRetriesRideOutTwoSlowDowns() {
        s3.faults().failNext(2, Fault.slowDown());
        assertThat(s3.client().getObjectAsBytes(b -> b.bucket("photos").key("uploads/good/a.jpg")).asUtf8String())
                .isEqualTo("good");
        assertThat(s3.faults().count(Kind.SLOW_DOWN)).isEqualTo(2);
        assertThat(s3.faults().total()).isEqualTo(2);
    }

    @Test
    void concurrentRequestsShareTheFaultsAndAllSucceedWithRetries() throws Exception {
        s3.faults().failNext(10, Fault.slowDown()).failNext(5, Fault.drop());
        try (S3Client patient = s3.clientBuilder().overrideConfiguration(o -> o.retryStrategy(
                AwsRetryStrategy.standardRetryStrategy().toBuilder()
                        .maxAttempts(16) // more than the 15 faults: every request must get through
                        .backoffStrategy(BackoffStrategy.retryImmediately())
                        .throttlingBackoffStrategy(BackoffStrategy.retryImmediately())
                        .circuitBreakerEnabled(false)
                        .build())).build();
             ExecutorService pool = Executors.newFixedThreadPool(8)) {
            List<Future<String>> gets = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                gets.add(pool.submit(() -> patient.getObjectAsBytes(b -> b.bucket("photos")
                        .key("uploads/good/a.jpg")).asUtf8String()));
            }
            for (Future<String> g : gets) {
                assertThat(g.get()).isEqualTo("good");
            }
        }
        assertThat(s3.faults().counts()).containsEntry(Kind.SLOW_DOWN, 10L).containsEntry(Kind.DROP, 5L);
        assertThat(s3.faults().isEmpty()).isTrue();
    }

    @Test
    void predicateRestrictsFaultsToMatchingRequests() {
        s3.faults().inject(Fault.internalError(), 1.0, RequestMatcher.method("GET").andKey("uploads/bad/.*"));
        assertThatThrownBy(() -> get("uploads/bad/b.jpg"))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(500));
        assertThat(get("uploads/good/a.jpg")).isEqualTo("good");
        noRetries.putObject(b -> b.bucket("photos").key("uploads/bad/c.jpg"), RequestBody.fromString("put ok"));
        assertThat(noRetries.headObject(b -> b.bucket("photos").key("uploads/good/a.jpg")).contentLength())
                .isEqualTo(4L);
        assertThat(s3.faults().count(Kind.INTERNAL_ERROR)).isEqualTo(1);
    }

    @Test
    void initialSpecFromOptionsIsLive() {
        try (EmbeddedS3 other = EmbeddedS3.start(EmbeddedS3.Options.builder().faults("error=1,method=DELETE").build())) {
            other.createBucket("other");
            other.client().putObject(b -> b.bucket("other").key("k"), RequestBody.fromString("v"));
            try (S3Client c = other.clientBuilder()
                    .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())).build()) {
                assertThatThrownBy(() -> c.deleteObject(b -> b.bucket("other").key("k")))
                        .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(500));
            }
            assertThat(other.faults().count(Kind.INTERNAL_ERROR)).isEqualTo(1);
        }
        assertThatThrownBy(() -> EmbeddedS3.Options.builder().faults("eror=1"))
                .hasMessageContaining("'eror=1'");
    }

    @Test
    void specFromTheSwitchAppliesToTheLiveServer() {
        s3.faults().apply("slowdown=1.0,key=uploads/bad/.*");
        assertThatThrownBy(() -> get("uploads/bad/b.jpg")).isInstanceOf(S3Exception.class);
        assertThat(get("uploads/good/a.jpg")).isEqualTo("good");
        s3.faults().clear();
        assertThat(get("uploads/bad/b.jpg")).isEqualTo("bad");
        assertThat(s3.faults().total()).isZero();
    }

    private static String get(String key) {
        return noRetries.getObjectAsBytes(b -> b.bucket("photos").key(key)).asUtf8String();
    }

    private static final class RequestRules {
        static final RequestMatcher PUT = RequestMatcher.method("PUT");
    }
}
