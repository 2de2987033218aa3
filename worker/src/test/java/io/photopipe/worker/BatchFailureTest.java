package io.photopipe.worker;

import static io.photopipe.worker.testing.WorkerHarness.failedIds;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.photopipe.core.FunctionEnv;
import io.photopipe.core.PhotoStatus;
import io.photopipe.local.servers.S3Faults;
import io.photopipe.worker.testing.Photos;
import io.photopipe.worker.testing.WorkerHarness;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Batches where things go wrong, against real servers: faults injected by the embedded S3, a DLQ that does not
 * exist, deadlines. Assertions name the exact message ids Lambda would be told to retry.
 */
class BatchFailureTest {

    private static final Map<String, String> SMALL = Map.of(FunctionEnv.RENDITIONS, Photos.SMALL_PRESETS);
    private static final byte[] HTML = "<!DOCTYPE html><html><body>not a photo</body></html>".getBytes();

    private static Map<String, String> with(Map<String, String> base, String... kv) {
        Map<String, String> m = new java.util.HashMap<>(base);
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void mixedBatchReportsExactlyTheTransientFailuresAndMovesPermanentOnesToTheDlq() {
        try (WorkerHarness h = WorkerHarness.create(SMALL)) {
            String good1 = "uploads/batch/good1.jpg";
            String good2 = "uploads/batch/good2.jpg";
            String flaky = "uploads/batch/flaky.jpg";
            String bad = "uploads/batch/bad.jpg";
            String e1 = h.put(good1, Photos.jpeg(320, 240, 1));
            String e2 = h.put(good2, Photos.jpeg(240, 320, 2));
            String ef = h.put(flaky, Photos.jpeg(320, 240, 3));
            String eb = h.put(bad, HTML);
            h.s3.faults().inject(S3Faults.Fault.internalError(), 1.0,
                    S3Faults.RequestMatcher.key("uploads/batch/flaky\\.jpg").andMethod("GET"));

            String good1a = h.sendCreated(good1, e1);
            String good1b = h.sendCreated(good1, e1); // duplicate delivery of the same upload
            String good2m = h.sendCreated(good2, e2);
            String flakyA = h.sendCreated(flaky, ef);
            String flakyB = h.sendCreated(flaky, ef); // duplicate of a failing one: fails with it
            String badM = h.sendCreated(bad, eb);
            String malformed = h.send("this is not json");

            SQSBatchResponse r = h.invoke(h.receive(7));

            assertThat(failedIds(r)).containsExactlyInAnyOrder(flakyA, flakyB);
            // One GET of the flaky photo, with its in-call retries (3 attempts), for both messages.
            assertThat(h.s3.faults().count(S3Faults.Kind.INTERNAL_ERROR)).isEqualTo(3);

            Map<String, Message> dlq = h.drainDlq().stream().collect(Collectors.toMap(
                    m -> WorkerHarness.attr(m, "photopipe-original-message-id"), m -> m));
            assertThat(dlq.keySet()).containsExactlyInAnyOrder(badM, malformed);
            assertThat(WorkerHarness.reasonCode(dlq.get(badM))).isEqualTo("not-an-image");
            assertThat(WorkerHarness.attr(dlq.get(badM), "photopipe-object")).isEqualTo(h.bucket + "/" + bad);
            assertThat(WorkerHarness.reasonCode(dlq.get(malformed))).isEqualTo("malformed-message");
            assertThat(WorkerHarness.attr(dlq.get(malformed), "photopipe-reason")).contains("not JSON",
                    "'this is not json'");
            assertThat(dlq.get(malformed).body()).isEqualTo("this is not json");

            assertThat(h.status(good1).state()).isEqualTo(PhotoStatus.State.READY);
            assertThat(h.status(good2).state()).isEqualTo(PhotoStatus.State.READY);
            assertThat(h.status(good2).renditions().get("small").height()).isEqualTo(160);
            assertThat(h.status(flaky)).isNull();
            // No rendition; only the attempt record, which says both its messages' delivery ended in s3-unavailable.
            assertThat(h.keys(h.layout().renditionPrefix(flaky))).containsExactly(h.layout().attemptKey(flaky));
            assertThat(h.attempts(flaky).attempts()).extracting(a -> a.messageId() + ":" + a.result())
                    .containsExactlyInAnyOrder(flakyA + ":s3-unavailable", flakyB + ":s3-unavailable");
            assertThat(h.status(bad).reasonCode()).isEqualTo("not-an-image");

            // Duplicates are processed once.
            assertThat(h.count("photopipe.photo.duration", "reason", "rendered")).isEqualTo(2);
            assertThat(h.count("photopipe.messages", "outcome", "done")).isEqualTo(3);
            assertThat(h.count("photopipe.messages", "outcome", "retried", "reason", "s3-unavailable")).isEqualTo(2);
            assertThat(h.logLines()).hasSize(7).filteredOn(l -> l.contains(flakyA) || l.contains(flakyB))
                    .allSatisfy(l -> assertThat(l).contains("\"outcome\":\"retried\"", "s3-unavailable"));
            assertThat(h.logLines()).filteredOn(l -> l.contains(good1a) || l.contains(good1b)).hasSize(2)
                    .allSatisfy(l -> assertThat(l).contains("\"outcome\":\"done\""));
            assertThat(good2m).isNotNull();

            // The acknowledged messages are gone; the two failed ones are invisible for a backoff of 15-30 s.
            Map<QueueAttributeName, String> q = h.sqs.client().getQueueAttributes(b -> b.queueUrl(h.queues.queueUrl())
                    .attributeNames(QueueAttributeName.ALL)).attributes();
            assertThat(q.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)).isEqualTo("0");
            assertThat(q.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).isEqualTo("2");
        }
    }

    @Test
    void aMessageWhoseDlqCopyFailsIsReportedAsFailedNotAcknowledged() {
        try (WorkerHarness h = WorkerHarness.create(with(SMALL, FunctionEnv.DLQ_URL,
                "http://127.0.0.1:" + WorkerHarness.create(SMALL).sqs.port() + "/000000000000/no-such-dlq"))) {
            String bad = "uploads/dlq/bad.jpg";
            String badM = h.sendCreated(bad, h.put(bad, HTML));
            String good = "uploads/dlq/good.jpg";
            h.sendCreated(good, h.put(good, Photos.jpeg(100, 80, 4)));
            SQSBatchResponse r = h.invoke(h.receive(2));
            assertThat(failedIds(r)).containsExactly(badM);
            assertThat(h.logLines()).filteredOn(l -> l.contains(badM)).singleElement().asString()
                    .contains("dlq-unavailable", "not-an-image");
            assertThat(h.count("photopipe.dlq.moves", "result", "failed")).isEqualTo(1);
            assertThat(h.status(good).state()).isEqualTo(PhotoStatus.State.READY);
        }
    }

    @Test
    void withTooLittleTimeLeftNothingStartsAndEverythingComesBackAtOnce() {
        try (WorkerHarness h = WorkerHarness.create(with(SMALL, WorkerConfig.SAFETY_MARGIN_MS, "5000"))) {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                String key = "uploads/late/" + i + ".jpg";
                ids.add(h.sendCreated(key, h.put(key, Photos.jpeg(100, 80, i))));
            }
            SQSBatchResponse r = h.invoke(h.receive(3), 4_000);
            assertThat(failedIds(r)).containsExactlyInAnyOrderElementsOf(ids);
            assertThat(h.keys("renditions/")).isEmpty();
            assertThat(h.logLines()).allSatisfy(l -> assertThat(l).contains("\"reasonCode\":\"deadline\"",
                    "not started"));
            // Not a failure of theirs: visible again at once, not after a backoff.
            assertThat(failedIds(h.invoke(h.receive(3)))).isEmpty();
            assertThat(h.keys("renditions/late/")).hasSize(9);
        }
    }

    @Test
    void workStillRunningAtTheDeadlineIsReportedAndTheRestIsDone() {
        try (WorkerHarness h = WorkerHarness.create(with(SMALL, WorkerConfig.SAFETY_MARGIN_MS, "1000",
                WorkerConfig.FINISH_MARGIN_MS, "1000"))) {
            String slow = "uploads/deadline/slow.jpg";
            String slowM = h.sendCreated(slow, h.put(slow, Photos.jpeg(100, 80, 5)));
            List<String> fast = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                String key = "uploads/deadline/fast" + i + ".jpg";
                fast.add(h.sendCreated(key, h.put(key, Photos.jpeg(100, 80, i))));
            }
            h.s3.faults().inject(S3Faults.Fault.latency(Duration.ofSeconds(30)), 1.0,
                    S3Faults.RequestMatcher.key("uploads/deadline/slow\\.jpg").andMethod("GET"));
            // Generous for the fast photos even on a loaded machine; the slow one's GET takes 30 s.
            SQSBatchResponse r = h.invoke(h.receive(4), 8_000);
            assertThat(failedIds(r)).containsExactly(slowM);
            // It had started (its attempt is recorded before the download), so it timed out, and the record says so.
            assertThat(h.logLines()).filteredOn(l -> l.contains(slowM)).singleElement().asString()
                    .contains("\"reasonCode\":\"timed-out\"", "still being processed at the function's deadline");
            assertThat(h.attempts(slow).latest(slowM)).hasValueSatisfying(a -> {
                assertThat(a.result()).isEqualTo("timed-out");
                assertThat(a.endedAt()).isNotNull();
            });
            for (int i = 0; i < 3; i++) {
                assertThat(h.status("uploads/deadline/fast" + i + ".jpg").state()).isEqualTo(PhotoStatus.State.READY);
            }
        }
    }

    @Test
    void circuitBreakerOpensUnderAnS3OutageAndTheBatchFailsFast() {
        try (WorkerHarness h = WorkerHarness.create(with(SMALL, WorkerConfig.CONCURRENCY, "2"))) {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                String key = "uploads/outage/" + i + ".jpg";
                ids.add(h.sendCreated(key, h.put(key, Photos.jpeg(100, 80, i))));
            }
            h.s3.faults().inject(S3Faults.Fault.slowDown(), 1.0,
                    S3Faults.RequestMatcher.path("/" + h.bucket + "(/.*)?"));
            List<String> failed = new ArrayList<>(failedIds(h.invoke(h.receive(10))));
            failed.addAll(failedIds(h.invoke(h.receive(10))));
            assertThat(failed).containsExactlyInAnyOrderElementsOf(ids);
            // The first calls of a photo are reads (its status and attempt record, at once): the read breaker opens.
            assertThat(h.worker.s3Reads().breaker().getState()).isEqualTo(CircuitBreaker.State.OPEN);
            assertThat(h.registry.get("photopipe.circuit.state").tag("service", "s3-read").gauge().value())
                    .isEqualTo(1);
            // Without the breaker: 20 photos x 2 reads x 3 attempts = 120 requests. It opens once 40 attempts
            // failed (CallGuard.MINIMUM_CALLS), and the attempts already in flight then finish: per photo slot (2) its
            // status and attempt-record reads, plus the previous photo's attempt-record read, stopped when its status
            // read failed but possibly already sent (cancel does not wait for it): 2 x 3.
            assertThat(h.worker.s3Reads().breaker().getMetrics().getNumberOfFailedCalls()).isBetween(40, 46);
            // S3 saw a few more: a photo whose status read fails stops its parallel attempt-record read, and a call
            // we stop ourselves is not the breaker's business (CallGuard ignores it), though its request had left.
            assertThat(h.s3.faults().count(S3Faults.Kind.SLOW_DOWN)).isBetween(40L, 60L);
            assertThat(h.count("photopipe.messages", "outcome", "retried", "reason", "circuit-open"))
                    .isGreaterThanOrEqualTo(10);
            assertThat(h.logLines()).filteredOn(l -> l.contains("circuit-open")).first().asString()
                    .contains("circuit breaker is open");
        }
    }
}
