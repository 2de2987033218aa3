package io.photopipe.worker.observe;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.photopipe.worker.messages.PhotoEvent;
import io.photopipe.worker.process.Outcome;
import io.photopipe.worker.process.QueueMessage;
import io.photopipe.worker.process.Work;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OutcomeLogTest {

    @Test
    void oneAsciiJsonLineWithEveryFieldEvenForUnicodeKeys() throws Exception {
        QueueMessage m = new QueueMessage("m-1", "rh", "{}", 2, "arn:aws:sqs:us-east-1:1:q", Map.of());
        PhotoEvent e = new PhotoEvent(PhotoEvent.Kind.CREATED, "b", "uploads/café \"x\"\n.jpg", "e", 1L,
                "ObjectCreated:Put", false);
        String line = OutcomeLog.line(m, new Outcome.Done("rendered", "7 renditions", new Work(7, 10, 20, 30, 40)),
                e, 1, "s3", Duration.ofMillis(1234));
        assertThat(line).doesNotContain("\n").matches("\\p{ASCII}+");
        JsonNode n = new ObjectMapper().readTree(line);
        assertThat(n.get("key").asText()).isEqualTo("uploads/café \"x\"\n.jpg");
        assertThat(n.get("messageId").asText()).isEqualTo("m-1");
        assertThat(n.get("outcome").asText()).isEqualTo("done");
        assertThat(n.get("reasonCode").asText()).isEqualTo("rendered");
        assertThat(n.get("durationMs").asLong()).isEqualTo(1234);
        assertThat(n.get("renditions").asInt()).isEqualTo(7);
        assertThat(n.get("bytesIn").asLong()).isEqualTo(10);
        assertThat(n.get("bytesOut").asLong()).isEqualTo(20);
        assertThat(n.get("receiveCount").asInt()).isEqualTo(2);
        assertThat(n.get("level").asText()).isEqualTo("INFO");
    }

    @Test
    void failuresAreWarnings() throws Exception {
        QueueMessage m = new QueueMessage("m-2", null, "x", 1, null, null);
        JsonNode n = new ObjectMapper().readTree(OutcomeLog.line(m, new Outcome.Rejected("malformed-message", "bad"),
                null, 0, null, Duration.ZERO));
        assertThat(n.get("level").asText()).isEqualTo("WARN");
        assertThat(n.has("bucket")).isFalse();
        assertThat(n.get("reason").asText()).isEqualTo("bad");
    }

    @Test
    void theInvocationLineCarriesTheResidentMemoryBesideTheHeap() throws Exception {
        JsonNode n = new ObjectMapper().readTree(OutcomeLog.batchLine(java.util.List.of(
                new Outcome.Done("rendered", "x", Work.NONE), new Outcome.Retry("s3-unavailable", "y", true)),
                Duration.ofMillis(900), 1, false, new MemoryUsage(300L << 20, 512L << 20, 100L << 20, 1024L << 20)));
        assertThat(n.get("msg").asText()).isEqualTo("batch");
        assertThat(n.get("done").asInt()).isEqualTo(1);
        assertThat(n.get("retried").asInt()).isEqualTo(1);
        assertThat(n.get("abandoned").asInt()).isEqualTo(1);
        assertThat(n.get("rssMb").asLong()).isEqualTo(300);
        assertThat(n.get("maxRssMb").asLong()).isEqualTo(512);
        assertThat(n.get("heapUsedMb").asLong()).isEqualTo(100);
    }

    @Test
    void residentMemoryIsReadFromProcSelfStatus() {
        assertThat(MemoryUsage.kilobytes(java.util.List.of("Name:\tjava", "VmHWM:\t  524288 kB",
                "VmRSS:\t  262144 kB"), "VmRSS:")).isEqualTo(262144L * 1024);
        assertThat(MemoryUsage.kilobytes(java.util.List.of("Name:\tjava"), "VmHWM:")).isEqualTo(-1);
        MemoryUsage now = MemoryUsage.now();
        if (java.nio.file.Files.isReadable(java.nio.file.Path.of("/proc/self/status"))) {
            assertThat(now.residentBytes()).isPositive().isLessThanOrEqualTo(now.peakBytes());
        }
        assertThat(now.heapUsedBytes()).isPositive();
    }
}
