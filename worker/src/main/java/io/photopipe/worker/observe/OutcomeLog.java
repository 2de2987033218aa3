package io.photopipe.worker.observe;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.photopipe.worker.messages.PhotoEvent;
import io.photopipe.worker.process.Outcome;
import io.photopipe.worker.process.QueueMessage;
import io.photopipe.worker.process.Work;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Objects;

/**
 * One JSON line per message outcome, on standard output (CloudWatch Logs in Lambda; Logs Insights parses it:
 * {@code filter outcome = "rejected" | stats count() by reasonCode}). Fields: {@code time}, {@code level},
 * {@code msg}, {@code messageId}, {@code bucket}, {@code key}, {@code outcome}, {@code reasonCode}, {@code reason},
 * {@code durationMs}, {@code renditions}, {@code bytesIn}, {@code bytesOut}, {@code receiveCount}, {@code shape},
 * {@code photos}, and for a message the worker moved to the DLQ {@code dlqMessageId} (with {@code msg} "message moved
 * to the DLQ").
 *
 * <p>Then one line per invocation ({@code msg} "batch"): {@code messages}, {@code done}, {@code skipped},
 * {@code retried}, {@code rejected}, {@code durationMs}, {@code abandoned} (renders abandoned at a deadline and still
 * running), {@code recycle} (the environment is being replaced), and the memory, like Lambda's "Max Memory Used":
 * {@code rssMb} (resident now), {@code maxRssMb} (peak resident since the environment started), {@code heapUsedMb},
 * {@code heapMaxMb}.
 */
public final class OutcomeLog {
    // Non-ASCII escaped (\u00e9): the line survives any stdout encoding (Lambda's default locale is POSIX, where
    // System.out would print '?' for 'é'), and every JSON reader decodes it back.
    private static final ObjectMapper JSON = JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();
    private final PrintStream out;

    public OutcomeLog(PrintStream out) {
        this.out = Objects.requireNonNull(out, "out");
    }

    /** The line for one message. */
    public static String line(QueueMessage m, Outcome o, PhotoEvent event, int photos, String shape,
                              Duration took) {
        return line(m, o, event, photos, shape, took, null);
    }

    /** The line for one message, with its DLQ copy's id when the worker moved it there. */
    public static String line(QueueMessage m, Outcome o, PhotoEvent event, int photos, String shape,
                              Duration took, String dlqMessageId) {
        ObjectNode n = JSON.createObjectNode();
        n.put("time", Instant.now().toString());
        n.put("level", o instanceof Outcome.Retry || o instanceof Outcome.Rejected ? "WARN" : "INFO");
        n.put("msg", dlqMessageId != null ? "message moved to the DLQ" : "message " + o.label());
        n.put("messageId", m.messageId());
        if (event != null) {
            n.put("bucket", event.bucket());
            n.put("key", event.key());
            n.put("event", event.eventName());
        }
        n.put("outcome", o.label());
        n.put("reasonCode", o.code());
        n.put("reason", o.reason());
        n.put("durationMs", took.toMillis());
        Work w = o.work();
        n.put("renditions", w.renditions());
        n.put("bytesIn", w.bytesIn());
        n.put("bytesOut", w.bytesOut());
        n.put("receiveCount", m.receiveCount());
        if (shape != null) {
            n.put("shape", shape);
        }
        n.put("photos", photos);
        if (dlqMessageId != null) {
            n.put("dlqMessageId", dlqMessageId);
        }
        return write(n);
    }

    /** The line for one invocation. */
    public static String batchLine(Collection<Outcome> outcomes, Duration took, int abandoned, boolean recycle,
                                   MemoryUsage memory) {
        ObjectNode n = JSON.createObjectNode();
        n.put("time", Instant.now().toString());
        n.put("level", recycle ? "ERROR" : "INFO");
        n.put("msg", "batch");
        n.put("messages", outcomes.size());
        for (String label : new String[] {"done", "skipped", "retried", "rejected"}) {
            n.put(label, outcomes.stream().filter(o -> o.label().equals(label)).count());
        }
        n.put("durationMs", took.toMillis());
        n.put("abandoned", abandoned);
        n.put("recycle", recycle);
        n.put("rssMb", MemoryUsage.mb(memory.residentBytes()));
        n.put("maxRssMb", MemoryUsage.mb(memory.peakBytes()));
        n.put("heapUsedMb", MemoryUsage.mb(memory.heapUsedBytes()));
        n.put("heapMaxMb", MemoryUsage.mb(memory.heapMaxBytes()));
        return write(n);
    }

    private static String write(ObjectNode n) {
        try {
            return JSON.writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes the line for one message. */
    public void message(QueueMessage m, Outcome o, PhotoEvent event, int photos, String shape, Duration took,
                        String dlqMessageId) {
        out.println(line(m, o, event, photos, shape, took, dlqMessageId));
    }

    /** Writes the line for one invocation. */
    public void batch(Collection<Outcome> outcomes, Duration took, int abandoned, boolean recycle,
                      MemoryUsage memory) {
        out.println(batchLine(outcomes, took, abandoned, recycle, memory));
    }
}
