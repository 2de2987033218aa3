package io.photopipe.worker;

import static io.photopipe.worker.testing.WorkerHarness.attr;
import static io.photopipe.worker.testing.WorkerHarness.failedIds;
import static io.photopipe.worker.testing.WorkerHarness.reasonCode;
import static org.assertj.core.api.Assertions.assertThat;

import io.photopipe.core.FunctionEnv;
import io.photopipe.core.MessageAttributes;
import io.photopipe.local.servers.S3Faults;
import io.photopipe.worker.testing.Photos;
import io.photopipe.worker.testing.WorkerHarness;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The worker never turns an input key into a write outside its output prefix: keys with dot or empty segments,
 * backslashes, control characters, or output keys beyond S3's 1,024 bytes are refused before any S3 call, with the
 * segment named, as rejections to the DLQ; S3 and its breakers never see them (the local S3 once collapsed
 * {@code uploads/../renditions/x} to {@code renditions/x}, and failing writes held the breaker open).
 */
class UnsafeKeyTest {

    @Test
    void unsafeKeysGoToTheDlqWithoutAnyS3Request() {
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("uploads/../renditions/x.jpg/thumb.jpg", "segment 1 of '../renditions/x.jpg/thumb.jpg' is '..'");
        expected.put("uploads/a/./b.jpg", "segment 2 of 'a/./b.jpg' is '.'");
        expected.put("uploads/a//b.jpg", "segment 2 of 'a//b.jpg' is empty");
        expected.put("uploads/a\\..\\b.jpg", "contains a backslash");
        expected.put("uploads/bell\u0007.jpg", "contains the control character U+0007");
        expected.put("uploads/" + "a".repeat(1000) + ".jpg", "more than S3's limit of 1024");
        try (WorkerHarness h = WorkerHarness.create(Map.of(FunctionEnv.RENDITIONS, Photos.SMALL_PRESETS))) {
            Map<String, String> ids = new LinkedHashMap<>();
            expected.keySet().forEach(k -> ids.put(h.sendCreated(k, "0123abcd"), k));
            // Any S3 request now would fail and be counted: none may happen.
            h.s3.faults().inject(S3Faults.Fault.internalError(), 1.0);

            assertThat(failedIds(h.invoke(h.receive(expected.size())))).as("%s", h.logLines()).isEmpty();

            assertThat(h.s3.faults().total()).as("S3 requests made").isZero();
            assertThat(h.worker.s3Reads().breaker().getMetrics().getNumberOfBufferedCalls()).isZero();
            assertThat(h.worker.s3Writes().breaker().getMetrics().getNumberOfBufferedCalls()).isZero();
            Map<String, Message> dlq = h.drainDlq().stream().collect(Collectors.toMap(
                    m -> attr(m, MessageAttributes.ORIGINAL_MESSAGE_ID), Function.identity()));
            assertThat(dlq.keySet()).containsExactlyInAnyOrderElementsOf(ids.keySet());
            ids.forEach((id, key) -> {
                Message m = dlq.get(id);
                assertThat(reasonCode(m)).as(key).isEqualTo("unsafe-key");
                assertThat(attr(m, MessageAttributes.REASON)).as(key).contains(expected.get(key), "Nothing was written");
            });
        }
    }
}
