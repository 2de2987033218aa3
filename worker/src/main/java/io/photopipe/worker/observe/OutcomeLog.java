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
import java.util.Objects;

/**
 * One JSON line per message outcome, on standard output (CloudWatch Logs in Lambda; Logs Insights parses it:
 * {@code filter outcome = "rejected" | stats count() by reasonCode}). Fields: {@code time}, {@code level},
 * {@code msg}, {@code messageId}, {@code bucket}, {@code key}, {@code outcome}, {@code reasonCode}, {@code reason},
 * {@code durationMs}, {@code renditions}, {@code bytesIn}, {@code bytesOut}, {@code receiveCount}, {@code shape},
 * {@code photos}.
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
        ObjectNode n = JSON.createObjectNode();
        n.put("time", Instant.now().toString());
        n.put("level", o instanceof Outcome.Retry || o instanceof Outcome.Rejected ? "WARN" : "INFO");
        n.put("msg", "message " + o.label());
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
        try {
            return JSON.writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes the line for one message. */
    public void message(QueueMessage m, Outcome o, PhotoEvent event, int photos, String shape, Duration took) {
        out.println(line(m, o, event, photos, shape, took));
    }
}
