package io.photopipe.worker;

import static io.photopipe.worker.testing.WorkerHarness.failedIds;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.photopipe.core.FunctionEnv;
import io.photopipe.local.servers.S3Faults;
import io.photopipe.worker.testing.Photos;
import io.photopipe.worker.testing.WorkerHarness;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The suspected amplifier of issue 10: one rendition PUT fails, the sibling PUTs still in flight are cancelled, and
 * the SDK's aborted-call errors count as circuit breaker failures, so one bad PUT looks like several to the breaker.
 */
class BreakerAmplifierTest {

    /** Seven renditions, so six siblings are in flight when one fails. */
    private static final String SEVEN = "[" + String.join(",",
            java.util.stream.IntStream.range(0, 7).mapToObj(i -> "{\"name\":\"r" + i + "\",\"width\":" + (40 + i)
                    + ",\"height\":40,\"fit\":\"fit\",\"format\":\"jpeg\",\"quality\":0.8}").toList()) + "]";

    @Test
    void aFailedRenditionPutCountsOnlyItsOwnAttemptsAsBreakerFailures() {
        try (WorkerHarness h = WorkerHarness.create(Map.of(FunctionEnv.RENDITIONS, SEVEN))) {
            String key = "uploads/amp/photo.jpg";
            String id = h.sendCreated(key, h.put(key, Photos.jpeg(320, 240, 1)));
            // r0's PUT fails at once, three times; its six siblings are slow, so they are still in flight then.
            h.s3.faults().inject(S3Faults.Fault.internalError(), 1.0,
                    S3Faults.RequestMatcher.key("renditions/amp/photo\\.jpg/r0\\.jpg").andMethod("PUT"));
            h.s3.faults().inject(S3Faults.Fault.latency(Duration.ofMillis(800)), 1.0,
                    S3Faults.RequestMatcher.key("renditions/amp/photo\\.jpg/r[1-6]\\.jpg").andMethod("PUT"));

            assertThat(failedIds(h.invoke(h.receive(1)))).containsExactly(id);

            CircuitBreaker.Metrics m = breakerMetrics(h);
            assertThat(h.s3.faults().count(S3Faults.Kind.INTERNAL_ERROR)).isEqualTo(3);
            assertThat(m.getNumberOfFailedCalls()).as("breaker failures: the 3 real 500s, not our own cancellations")
                    .isEqualTo(3);
            // The siblings were not cancelled: all six landed.
            assertThat(h.keys("renditions/amp/photo.jpg/")).filteredOn(k -> k.matches(".*/r[1-6]\\.jpg")).hasSize(6);
        }
    }

    static CircuitBreaker.Metrics breakerMetrics(WorkerHarness h) {
        return h.worker.s3Writes().breaker().getMetrics();
    }
}
