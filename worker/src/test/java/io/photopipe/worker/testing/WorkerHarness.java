package io.photopipe.worker.testing;

import static org.awaitility.Awaitility.await;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.photopipe.core.AttemptRecord;
import io.photopipe.core.FunctionEnv;
import io.photopipe.core.MessageAttributes;
import io.photopipe.core.OutputLayout;
import io.photopipe.core.PhotoStatus;
import io.photopipe.core.S3EventMessages;
import io.photopipe.local.servers.EmbeddedS3;
import io.photopipe.local.servers.EmbeddedSqs;
import io.photopipe.local.servers.LocalCredentials;
import io.photopipe.worker.Worker;
import io.photopipe.worker.WorkerConfig;
import io.photopipe.worker.WorkerHandler;
import io.photopipe.worker.process.Renderer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;

/**
 * A worker wired to the embedded S3 and SQS exactly as in Lambda (configuration from environment variables, the
 * real SDK over HTTP), with its own bucket and queues, plus the steps of Lambda's SQS event source mapping: receive
 * a batch, invoke the handler with it as an {@link SQSEvent}, delete what it did not report as failed.
 */
public final class WorkerHarness implements AutoCloseable {
    private static final AtomicInteger SEQ = new AtomicInteger();

    public final EmbeddedS3 s3 = LocalAws.s3();
    public final EmbeddedSqs sqs = LocalAws.sqs();
    public final String bucket;
    public final EmbeddedSqs.QueuePair queues;
    public final String resultsUrl;
    public final Map<String, String> env;
    public final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
    public final Worker worker;
    public final WorkerHandler handler;
    /** How often the worker asked to end its environment (the hook records it instead of exiting). */
    public final AtomicInteger recycles = new AtomicInteger();

    /**
     * How a harness is made.
     *
     * @param maxReceiveCount   the upload queue's redrive policy
     * @param visibilitySeconds the upload queue's visibility timeout
     * @param renderer          wraps the image engine's renderer
     */
    public record Options(Map<String, String> overrides, UnaryOperator<Renderer> renderer, int maxReceiveCount,
                          int visibilitySeconds) {
        public static Options of(Map<String, String> overrides) {
            return new Options(overrides, UnaryOperator.identity(), 5, 120);
        }

        public Options withRenderer(UnaryOperator<Renderer> r) {
            return new Options(overrides, r, maxReceiveCount, visibilitySeconds);
        }

        public Options withQueue(int newMaxReceiveCount, int newVisibilitySeconds) {
            return new Options(overrides, renderer, newMaxReceiveCount, newVisibilitySeconds);
        }
    }

    private WorkerHarness(String bucket, Map<String, String> overrides) {
        this(bucket, Options.of(overrides));
    }

    private WorkerHarness(String bucket, Options options) {
        Map<String, String> overrides = options.overrides();
        UnaryOperator<Renderer> renderer = options.renderer();
        int n = SEQ.incrementAndGet();
        this.bucket = bucket != null ? bucket : "pp-test-" + n + "-" + ProcessHandle.current().pid();
        s3.createBucket(this.bucket);
        queues = sqs.createQueueWithDlq("uploads-" + n, "uploads-" + n + "-dlq", options.maxReceiveCount(),
                options.visibilitySeconds());
        resultsUrl = sqs.createQueue("results-" + n, Map.of());
        Map<String, String> e = new HashMap<>();
        e.put(FunctionEnv.BUCKET, this.bucket);
        e.put(FunctionEnv.INPUT_PREFIX, "uploads/");
        e.put(FunctionEnv.OUTPUT_PREFIX, "renditions/");
        e.put(FunctionEnv.DLQ_URL, queues.dlqUrl());
        e.put(FunctionEnv.RESULTS_QUEUE_URL, resultsUrl);
        e.put(WorkerConfig.AWS_ENDPOINT_URL_S3, s3.endpoint().toString());
        e.put(WorkerConfig.AWS_ENDPOINT_URL_SQS, sqs.endpoint().toString());
        e.put(WorkerConfig.AWS_REGION, LocalCredentials.REGION);
        e.put(WorkerConfig.METRICS, "none");
        e.put(WorkerConfig.RETRY_INITIAL_MS, "5");
        e.put(WorkerConfig.SAFETY_MARGIN_MS, "1000");
        e.put(WorkerConfig.FINISH_MARGIN_MS, "500");
        e.putAll(overrides);
        e.values().removeIf(v -> v == null);
        env = Map.copyOf(e);
        worker = Worker.create(WorkerConfig.fromEnv(env::get), LocalCredentials.provider(), registry,
                new PrintStream(logBytes, true, StandardCharsets.UTF_8),
                new Worker.Hooks(renderer, recycles::incrementAndGet));
        handler = new WorkerHandler(worker);
    }

    /** A worker with its own new bucket and queues; {@code overrides} replace or add environment variables. */
    public static WorkerHarness create(Map<String, String> overrides) {
        return new WorkerHarness(null, overrides);
    }

    /** A worker whose image engine is wrapped by {@code renderer} (slow, failing or memory-hungry renders). */
    public static WorkerHarness create(Map<String, String> overrides, UnaryOperator<Renderer> renderer) {
        return new WorkerHarness(null, Options.of(overrides).withRenderer(renderer));
    }

    /** A worker made as {@code options} say. */
    public static WorkerHarness create(Options options) {
        return new WorkerHarness(null, options);
    }

    /** A worker on a given bucket, keeping what is in it (a second deployment over the same data). */
    public static WorkerHarness forBucketKeeping(String bucket, Map<String, String> overrides) {
        return new WorkerHarness(bucket, overrides);
    }

    /** A worker on a given bucket (created if needed, emptied if it exists). */
    public static WorkerHarness forBucket(String bucket, Map<String, String> overrides) {
        WorkerHarness h = new WorkerHarness(bucket, overrides);
        h.s3.client().listObjectsV2Paginator(b -> b.bucket(bucket)).contents()
                .forEach(o -> h.s3.client().deleteObject(b -> b.bucket(bucket).key(o.key())));
        return h;
    }

    public OutputLayout layout() {
        return worker.config().settings().layout();
    }

    /** Uploads an object and returns its ETag (unquoted). */
    public String put(String key, byte[] bytes) {
        return S3EventMessages.stripQuotes(s3.client().putObject(b -> b.bucket(bucket).key(key),
                RequestBody.fromBytes(bytes)).eTag());
    }

    /** Sends a message body to the upload queue, with optional string attributes; returns the message id. */
    public String send(String body, Map<String, String> attributes) {
        Map<String, MessageAttributeValue> attrs = new HashMap<>();
        attributes.forEach((k, v) -> attrs.put(k, MessageAttributeValue.builder().dataType("String").stringValue(v)
                .build()));
        return sqs.client().sendMessage(b -> b.queueUrl(queues.queueUrl()).messageBody(body)
                .messageAttributes(attrs)).messageId();
    }

    public String send(String body) {
        return send(body, Map.of());
    }

    /** Sends the S3 notification S3 would send for a PUT of {@code key} with {@code eTag}. */
    public String sendCreated(String key, String eTag) {
        return send(S3EventMessages.notification(List.of(event("ObjectCreated:Put", key, eTag))));
    }

    /** Sends an ObjectRemoved:Delete notification. */
    public String sendRemoved(String key) {
        return send(S3EventMessages.notification(List.of(event("ObjectRemoved:Delete", key, null))));
    }

    public S3EventMessages.ObjectEvent event(String name, String key, String eTag) {
        return new S3EventMessages.ObjectEvent(name, Instant.now(), "us-east-1", bucket, key,
                eTag == null ? null : 1L, eTag, null, null, null, null, null, null);
    }

    /** Receives exactly {@code count} messages from the upload queue (waiting for them) as one Lambda event. */
    public SQSEvent receive(int count) {
        List<Message> got = new ArrayList<>();
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            ReceiveMessageResponse r = sqs.client().receiveMessage(b -> b.queueUrl(queues.queueUrl())
                    .maxNumberOfMessages(Math.min(10, count - got.size())).waitTimeSeconds(1)
                    .messageSystemAttributeNames(MessageSystemAttributeName.ALL).messageAttributeNames("All"));
            got.addAll(r.messages());
            return got.size() >= count;
        });
        return LambdaEvents.sqsEvent(LambdaEvents.sqsEventJson(got, queues.queueArn()));
    }

    /** Invokes the handler with a generous deadline. */
    public SQSBatchResponse invoke(SQSEvent event) {
        return invoke(event, 60_000);
    }

    /** Invokes the handler with {@code remainingMillis} left, then deletes the messages it did not report. */
    public SQSBatchResponse invoke(SQSEvent event, long remainingMillis) {
        int recycled = recycles.get();
        SQSBatchResponse response = handler.handleRequest(event, LambdaEvents.context(remainingMillis));
        if (recycles.get() > recycled) {
            return response; // the process would have exited: the invocation failed, the mapping deletes nothing
        }
        List<String> failed = failedIds(response);
        for (SQSEvent.SQSMessage m : event.getRecords()) {
            if (!failed.contains(m.getMessageId()) && m.getReceiptHandle() != null
                    && m.getEventSourceArn().equals(queues.queueArn())) {
                sqs.client().deleteMessage(b -> b.queueUrl(queues.queueUrl()).receiptHandle(m.getReceiptHandle()));
            }
        }
        return response;
    }

    public static List<String> failedIds(SQSBatchResponse response) {
        return response.getBatchItemFailures().stream().map(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
                .toList();
    }

    /** Everything in the DLQ now (received and left invisible, so call once per test). */
    public List<Message> drainDlq() {
        return drain(queues.dlqUrl());
    }

    /** Everything in the results queue now. */
    public List<Message> drainResults() {
        return drain(resultsUrl);
    }

    private List<Message> drain(String url) {
        List<Message> all = new ArrayList<>();
        while (true) {
            List<Message> batch = sqs.client().receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10)
                    .visibilityTimeout(600).messageAttributeNames("All")).messages();
            if (batch.isEmpty()) {
                return all;
            }
            all.addAll(batch);
        }
    }

    /** The status document of a source key, or null. */
    public PhotoStatus status(String sourceKey) {
        try {
            return PhotoStatus.fromJson(s3.client().getObjectAsBytes(b -> b.bucket(bucket)
                    .key(layout().statusKey(sourceKey))).asUtf8String());
        } catch (NoSuchKeyException e) {
            return null;
        }
    }

    public HeadObjectResponse head(String key) {
        return s3.client().headObject(b -> b.bucket(bucket).key(key));
    }

    public byte[] bytes(String key) {
        return s3.client().getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
    }

    /** Keys under a prefix, sorted. */
    public List<String> keys(String prefix) {
        return s3.client().listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents().stream()
                .map(S3Object::key).sorted().toList();
    }

    /** The JSON outcome lines the worker wrote, one per message. */
    public List<String> logLines() {
        return logBytes.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains("\"msg\":\"message ")).toList();
    }

    /** The JSON lines the worker wrote once per invocation ("batch"). */
    public List<String> batchLines() {
        return logBytes.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains("\"msg\":\"batch\"")).toList();
    }

    /** The attempt record of a source key, or null. */
    public AttemptRecord attempts(String sourceKey) {
        try {
            return AttemptRecord.fromJson(s3.client().getObjectAsBytes(b -> b.bucket(bucket)
                    .key(layout().attemptKey(sourceKey))).asUtf8String());
        } catch (NoSuchKeyException e) {
            return null;
        }
    }

    /** Count of a counter/timer with these tags, 0 when absent. */
    public double count(String name, String... tags) {
        var search = registry.find(name).tags(tags);
        if (search.counter() != null) {
            return search.counters().stream().mapToDouble(c -> c.count()).sum();
        }
        return search.timers().stream().mapToDouble(t -> t.count()).sum();
    }

    public static String attr(Message m, String name) {
        MessageAttributeValue v = m.messageAttributes().get(name);
        return v == null ? null : v.stringValue();
    }

    public static String reasonCode(Message m) {
        return attr(m, MessageAttributes.REASON_CODE);
    }

    @Override
    public void close() {
        s3.faults().clear();
        worker.close();
    }
}
