package io.photopipe.loadtest.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.photopipe.core.AttemptRecord;
import io.photopipe.core.MessageAttributes;
import io.photopipe.core.OutputLayout;
import io.photopipe.core.PhotoStatus;
import io.photopipe.core.PipelineSettings;
import io.photopipe.core.Rendition;
import io.photopipe.core.S3EventMessages;
import io.photopipe.producer.Dlq;
import io.photopipe.producer.DlqMessage;
import io.photopipe.producer.internal.Progress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The ledger: what became of every object S3 acknowledged, proved from what the pipeline left behind, never from
 * what it logged.
 * <ul>
 *   <li><b>READY</b>: a READY status document for the object's current ETag, and every rendition of the presets
 *       present with that ETag as its {@code source-etag};</li>
 *   <li><b>FAILED</b> with a reason: a FAILED status document, or a DLQ copy with {@code photopipe-reason-code}, or a
 *       DLQ message the queue moved (no reason attribute) whose last delivery the worker's attempt record names
 *       ({@code _attempt.json} beside the status, where the worker writes one);</li>
 *   <li><b>LOST</b>: anything else, with what is missing ({@code no-final-status}, {@code dlq-without-reason},
 *       {@code missing-renditions}, {@code stale-etag}, {@code source-missing}).</li>
 * </ul>
 */
final class Ledger {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** An object S3 acknowledged: its key, kind and the ETag of the upload. */
    record Uploaded(String key, String kind, String eTag) {
    }

    /** What became of one object. */
    record Entry(String key, String kind, String state, String reason, String detail) {
    }

    /**
     * The DLQ at the end.
     *
     * @param messages        messages in it
     * @param withReason      of which carry the worker's reason code
     * @param withoutReason   of which were moved by the queue's redrive policy (no reason)
     * @param duplicateCopies copies beyond the first of the same object and ETag
     * @param byReason        messages per reason code ({@code (none)} for none)
     */
    record DlqSummary(int messages, int withReason, int withoutReason, int duplicateCopies,
                      Map<String, Integer> byReason) {
    }

    /** The ledger of a run. */
    record Result(List<Entry> entries, DlqSummary dlq) {
        long count(String state) {
            return entries.stream().filter(e -> e.state().equals(state)).count();
        }
    }

    private final PipelineSettings settings;
    private final OutputLayout layout;
    private final S3Client s3;

    private Ledger(PipelineSettings settings, S3Client s3) {
        this.settings = settings;
        this.layout = settings.layout();
        this.s3 = s3;
    }

    static Result compute(PipelineSettings settings, S3Client s3, SqsClient sqs, String dlqUrl,
                          List<Uploaded> uploaded, WorkerLogs logs) throws Exception {
        Ledger ledger = new Ledger(settings, s3);
        List<DlqMessage> dlq = new Dlq(sqs, dlqUrl, 60).peek(1_000_000, Progress.none());
        Map<String, List<DlqMessage>> dlqByKey = new HashMap<>();
        Map<String, Integer> copies = new HashMap<>();
        Map<String, Integer> byReason = new TreeMap<>();
        int withReason = 0;
        for (DlqMessage m : dlq) {
            String[] ref = objectOf(m);
            dlqByKey.computeIfAbsent(ref[0], k -> new ArrayList<>()).add(m);
            copies.merge(ref[0] + "\n" + ref[1], 1, Integer::sum);
            byReason.merge(m.reasonCode(), 1, Integer::sum);
            withReason += DlqMessage.NO_REASON.equals(m.reasonCode()) ? 0 : 1;
        }
        int duplicates = copies.values().stream().mapToInt(c -> c - 1).sum();
        Map<String, String> lastOutcome = new HashMap<>();
        logs.outcomes().forEach(o -> lastOutcome.put(o.key(), o.outcome() + "/" + o.reasonCode() + " (delivery "
                + o.receiveCount() + ")"));

        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Entry>> futures = new ArrayList<>();
            for (Uploaded u : uploaded) {
                futures.add(pool.submit(() -> ledger.entry(u, dlqByKey.getOrDefault(u.key(), List.of()),
                        lastOutcome.get(u.key()))));
            }
            List<Entry> entries = new ArrayList<>();
            for (Future<Entry> f : futures) {
                entries.add(f.get());
            }
            return new Result(entries, new DlqSummary(dlq.size(), withReason, dlq.size() - withReason, duplicates,
                    byReason));
        } finally {
            pool.shutdownNow();
        }
    }

    private Entry entry(Uploaded u, List<DlqMessage> dlq, String lastOutcome) {
        String hint = lastOutcome == null ? "the worker logged no outcome for it" : "last worker outcome: " + lastOutcome;
        String current;
        try {
            current = S3EventMessages.stripQuotes(s3.headObject(b -> b.bucket(settings.bucket()).key(u.key())).eTag());
        } catch (NoSuchKeyException e) {
            return new Entry(u.key(), u.kind(), "LOST", "source-missing", "the uploaded object is gone");
        }
        PhotoStatus status = read(layout.statusKey(u.key()), PhotoStatus::fromJson);
        if (status != null && status.state() == PhotoStatus.State.READY) {
            if (!current.equals(status.sourceETag())) {
                return new Entry(u.key(), u.kind(), "LOST", "stale-etag", "READY for ETag " + status.sourceETag()
                        + ", the object is " + current);
            }
            List<String> missing = new ArrayList<>();
            for (Rendition r : settings.renditions()) {
                String problem = renditionProblem(layout.renditionKey(u.key(), r), current);
                if (problem != null) {
                    missing.add(r.name() + ": " + problem);
                }
            }
            if (!missing.isEmpty()) {
                return new Entry(u.key(), u.kind(), "LOST", "missing-renditions", String.join("; ", missing));
            }
            return new Entry(u.key(), u.kind(), "READY", null, dlq.isEmpty() ? null
                    : dlq.size() + " DLQ message(s) for it too (" + dlq.getFirst().reasonCode() + ")");
        }
        if (status != null && status.state() == PhotoStatus.State.FAILED) {
            return new Entry(u.key(), u.kind(), "FAILED", status.reasonCode(), "status: " + status.reason());
        }
        for (DlqMessage m : dlq) {
            if (!DlqMessage.NO_REASON.equals(m.reasonCode())) {
                return new Entry(u.key(), u.kind(), "FAILED", m.reasonCode(), "DLQ: " + m.reason());
            }
        }
        if (!dlq.isEmpty()) {
            String fate = attemptFate(u.key());
            if (fate != null) {
                return new Entry(u.key(), u.kind(), "FAILED", fate, "DLQ (moved by the queue) + attempt record");
            }
            return new Entry(u.key(), u.kind(), "LOST", "dlq-without-reason", dlq.size() + " DLQ message(s) moved by "
                    + "the queue after " + dlq.getFirst().receiveCount() + " receives, no reason, no attempt record; "
                    + hint);
        }
        return new Entry(u.key(), u.kind(), "LOST", "no-final-status", "no status document and nothing in the DLQ; "
                + hint);
    }

    /** Null when the rendition exists and was made from {@code eTag}; else what is wrong. */
    private String renditionProblem(String key, String eTag) {
        try {
            HeadObjectResponse h = s3.headObject(b -> b.bucket(settings.effectiveOutputBucket()).key(key));
            String source = h.metadata().get("source-etag");
            return eTag.equals(source) ? null : "made from " + source;
        } catch (NoSuchKeyException e) {
            return "missing";
        } catch (S3Exception e) {
            return "HEAD answered " + e.statusCode() + " " + e.awsErrorDetails().errorCode();
        }
    }

    /** What the worker's attempt record says the last delivery came to, when it names it (core's own reading). */
    private String attemptFate(String key) {
        AttemptRecord record = read(layout.attemptKey(key), json -> {
            try {
                return AttemptRecord.fromJson(json);
            } catch (IllegalArgumentException e) {
                return null;
            }
        });
        if (record == null || record.attempts().isEmpty()) {
            return null;
        }
        return record.attempts().getLast().fate(Instant.now()).orElse(null);
    }

    private <T> T read(String key, java.util.function.Function<String, T> parse) {
        try {
            return parse.apply(s3.getObjectAsBytes(b -> b.bucket(settings.effectiveOutputBucket()).key(key))
                    .asUtf8String());
        } catch (NoSuchKeyException e) {
            return null;
        } catch (S3Exception e) {
            if (e.statusCode() == 400 && e.awsErrorDetails() != null
                    && "KeyTooLongError".equals(e.awsErrorDetails().errorCode())) {
                return null; // a source key so long that its documents' keys pass S3's limit: none can exist
            }
            throw e;
        }
    }

    /**
     * The object (key) and ETag a DLQ message is about: its S3 event body (the DLQ copy keeps it unchanged), else its
     * {@code photopipe-object} attribute (which the worker shortens and escapes to what SQS accepts).
     */
    static String[] objectOf(DlqMessage m) {
        String eTag = "";
        String key = null;
        try {
            JsonNode rec = JSON.readTree(m.body()).path("Records").path(0).path("s3");
            if (!rec.isMissingNode() && rec.path("object").hasNonNull("key")) {
                key = URLDecoder.decode(rec.path("object").path("key").asText(), StandardCharsets.UTF_8);
                eTag = rec.path("object").path("eTag").asText("");
            }
        } catch (Exception e) {
            // not an S3 event: only the attribute can say
        }
        String attr = m.attributes().get(MessageAttributes.OBJECT);
        if (key == null && attr != null && attr.indexOf('/') > 0) {
            key = attr.substring(attr.indexOf('/') + 1);
        }
        return new String[] {key == null ? "(unknown: " + m.messageId() + ")" : key, eTag};
    }
}
