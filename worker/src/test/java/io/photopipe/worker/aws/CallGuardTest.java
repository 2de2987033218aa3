package io.photopipe.worker.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** What the breakers count: the service's failures, never our own stops. */
class CallGuardTest {

    private static S3Exception answer(int status) {
        return (S3Exception) S3Exception.builder().statusCode(status).message("status " + status).build();
    }

    @Test
    void serviceFailuresCountAndAnswersDoNot() {
        assertThat(CallGuard.isFailure(answer(503))).isTrue();
        assertThat(CallGuard.isFailure(answer(500))).isTrue();
        assertThat(CallGuard.isFailure(answer(404))).isFalse();
        assertThat(CallGuard.isFailure(answer(403))).isFalse();
        assertThat(CallGuard.isFailure(SdkClientException.create("connection reset"))).isTrue();
        // S3 being slow: the SDK's own attempt timeout (it interrupts the call, but it is not our stop)
        assertThat(CallGuard.isFailure(ApiCallAttemptTimeoutException.create(1000))).isTrue();
        assertThat(CallGuard.isFailure(SdkClientException.create("read timed out",
                new SocketTimeoutException("Read timed out")))).isTrue();
    }

    @Test
    void ourOwnStopsAreIgnored() {
        assertThat(CallGuard.isOurOwnStop(AbortedException.create("Thread was interrupted"))).isTrue();
        assertThat(CallGuard.isOurOwnStop(SdkClientException.create("x", new InterruptedException()))).isTrue();
        assertThat(CallGuard.isOurOwnStop(SdkClientException.create("x", new InterruptedIOException("cancelled"))))
                .isTrue();
        assertThat(CallGuard.isFailure(AbortedException.create("Thread was interrupted"))).isFalse();
        assertThat(CallGuard.isOurOwnStop(answer(503))).isFalse();
        Thread.currentThread().interrupt();
        try {
            assertThat(CallGuard.isOurOwnStop(SdkClientException.create("Request cancelled"))).isTrue();
        } finally {
            Thread.interrupted();
        }
    }
}
