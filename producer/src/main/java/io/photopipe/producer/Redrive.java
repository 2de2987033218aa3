package io.photopipe.producer;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.photopipe.producer.internal.Json;
import io.photopipe.producer.internal.Progress;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.ListMessageMoveTasksResultEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Moves messages from the DLQ back to a queue.
 *
 * <p>Where it can, it asks SQS to do it with {@code StartMessageMoveTask}
 * (<a href="https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_StartMessageMoveTask.html">API
 * reference</a>): server-side, rate-limited, no message passes through here. SQS only accepts a source that is some
 * queue's DLQ (and ElasticMQ never answers otherwise), so that is checked first. Filtering by reason, a maximum
 * count, or a DLQ that is no queue's DLQ take the manual path: receive a batch, send it to the target with
 * SendMessageBatch (retrying only failed entries), and delete from the DLQ only what the target accepted. A crash
 * between send and delete leaves a message in both queues (at-least-once, as SQS itself is); nothing is lost.
 */
public final class Redrive {
    /**
     * What to move.
     *
     * @param dlqUrl     the DLQ
     * @param targetUrl  where messages go back to (the queue whose DLQ it is, usually)
     * @param reasonCode only messages with this worker reason code; null for all
     * @param max        at most this many; 0 for all
     * @param rate       messages per second; 0 for no limit
     * @param manual     never use a move task
     */
    public record Options(String dlqUrl, String targetUrl, String reasonCode, long max, double rate, boolean manual) {
        public Options {
            Objects.requireNonNull(dlqUrl, "dlqUrl");
            Objects.requireNonNull(targetUrl, "targetUrl");
            if (max < 0) {
                throw ProducerException.usage("--max " + max + " must not be negative (0 = all)");
            }
            if (rate < 0) {
                throw ProducerException.usage("--rate " + rate + " must not be negative (0 = no limit)");
            }
        }
    }

    /** The largest rate a move task accepts. */
    static final int MOVE_TASK_MAX_RATE = 500;

    private final SqsClient sqs;
    private final BatchSender sender;
    private final Options options;
    private final Duration pollInterval;
    private final UnaryOperator<DlqMessage> explain;
    private volatile boolean stopping;

    public Redrive(SqsClient sqs, BatchSender sender, Options options, Duration pollInterval) {
        this(sqs, sender, options, pollInterval, UnaryOperator.identity());
    }

    /**
     * @param explain names the reason of messages without the worker's ({@link DlqReasons}), so {@code --reason
     *                crashed-during-render} finds the messages the queue moved after a crash
     */
    public Redrive(SqsClient sqs, BatchSender sender, Options options, Duration pollInterval,
                   UnaryOperator<DlqMessage> explain) {
        this.sqs = Objects.requireNonNull(sqs, "sqs");
        this.sender = Objects.requireNonNull(sender, "sender");
        this.options = Objects.requireNonNull(options, "options");
        this.pollInterval = pollInterval;
        this.explain = Objects.requireNonNull(explain, "explain");
    }

    /** Stops after the current batch (manual path); a move task keeps running in SQS. */
    public void stop() {
        stopping = true;
    }

    /** Whether this run will use a move task. */
    public boolean usesMoveTask() {
        return !options.manual() && options.reasonCode() == null && options.max() == 0
                && options.rate() <= MOVE_TASK_MAX_RATE && isSomeQueuesDlq();
    }

    /** Moves the messages. */
    public RedriveSummary run(Progress progress) throws InterruptedException {
        Instant start = Instant.now();
        if (usesMoveTask()) {
            try {
                return moveTask(progress, start);
            } catch (AwsServiceException e) {
                if (e.statusCode() >= 500 || e.awsErrorDetails() == null
                        || !String.valueOf(e.awsErrorDetails().errorCode()).contains("Unsupported")) {
                    throw e;
                }
                // the server has no move tasks: do it ourselves
            }
        }
        return manual(progress, start);
    }

    /** True if the DLQ is the dead-letter target of the target queue or of any queue. */
    boolean isSomeQueuesDlq() {
        String dlqArn = Queues.arn(sqs, options.dlqUrl());
        String policy = Queues.attributes(sqs, options.targetUrl()).get(QueueAttributeName.REDRIVE_POLICY);
        if (policy != null && !policy.isBlank()) {
            try {
                JsonNode p = Json.MAPPER.readTree(policy);
                if (dlqArn.equals(p.path("deadLetterTargetArn").asText())) {
                    return true;
                }
            } catch (IOException e) {
                // not JSON: ask SQS below
            }
        }
        try {
            return !sqs.listDeadLetterSourceQueues(r -> r.queueUrl(options.dlqUrl())).queueUrls().isEmpty();
        } catch (AwsServiceException e) {
            return false;
        }
    }

    private RedriveSummary moveTask(Progress progress, Instant start) throws InterruptedException {
        String dlqArn = Queues.arn(sqs, options.dlqUrl());
        String targetArn = Queues.arn(sqs, options.targetUrl());
        String handle = sqs.startMessageMoveTask(r -> {
            r.sourceArn(dlqArn).destinationArn(targetArn);
            if (options.rate() > 0) {
                r.maxNumberOfMessagesPerSecond((int) Math.max(1, Math.round(options.rate())));
            }
        }).taskHandle();
        ListMessageMoveTasksResultEntry task;
        long shown = 0;
        while (true) {
            var tasks = sqs.listMessageMoveTasks(r -> r.sourceArn(dlqArn).maxResults(10)).results();
            task = tasks.stream().filter(t -> handle.equals(t.taskHandle())).findFirst()
                    .orElse(tasks.isEmpty() ? null : tasks.getFirst());
            if (task == null) {
                break;
            }
            if (task.approximateNumberOfMessagesToMove() != null) {
                progress.maxHint(task.approximateNumberOfMessagesToMove());
            }
            long moved = task.approximateNumberOfMessagesMoved() == null ? 0 : task.approximateNumberOfMessagesMoved();
            if (moved > shown) {
                progress.step(moved - shown);
                shown = moved;
            }
            String status = task.status();
            if (!"RUNNING".equals(status) && !"CANCELLING".equals(status)) {
                break;
            }
            Thread.sleep(pollInterval);
        }
        long moved = task == null || task.approximateNumberOfMessagesMoved() == null ? 0
                : task.approximateNumberOfMessagesMoved();
        String status = task == null ? "UNKNOWN" : task.status();
        List<SendResult.Failure> failures = task != null && task.failureReason() != null
                ? List.of(new SendResult.Failure(handle, "MoveTaskFailed", task.failureReason(), false)) : List.of();
        return new RedriveSummary("move-task", Queues.name(options.dlqUrl()), Queues.name(options.targetUrl()), moved,
                0, "FAILED".equals(status) ? 1 : 0, 0, handle, status, failures, Duration.between(start, Instant.now()));
    }

    private RedriveSummary manual(Progress progress, Instant start) throws InterruptedException {
        Dlq dlq = new Dlq(sqs, options.dlqUrl(), 300);
        RateLimiter limiter = options.rate() > 0 ? Rates.limiter("redrive", options.rate()) : null;
        List<Message> leftBehind = new ArrayList<>();
        Set<String> skippedIds = new HashSet<>();
        List<SendResult.Failure> failures = new ArrayList<>();
        long moved = 0;
        long failed = 0;
        long duplicated = 0;
        try {
            int emptyInARow = 0;
            while (!stopping && emptyInARow < 2 && (options.max() == 0 || moved < options.max())) {
                List<Message> batch = dlq.receive(10);
                // Skipped messages come back once their visibility timeout ends: seeing only those means we are done.
                boolean nothingNew = batch.stream().allMatch(m -> skippedIds.contains(m.messageId()));
                emptyInARow = nothingNew ? emptyInARow + 1 : 0;
                List<Message> move = new ArrayList<>();
                for (Message m : batch) {
                    boolean matches = options.reasonCode() == null
                            || explain.apply(DlqMessage.of(m)).hasReason(options.reasonCode());
                    boolean room = options.max() == 0 || moved + move.size() < options.max();
                    if (matches && room) {
                        move.add(m);
                    } else {
                        leftBehind.add(m);
                        if (!matches) {
                            skippedIds.add(m.messageId());
                        }
                    }
                }
                if (move.isEmpty()) {
                    continue;
                }
                if (limiter != null) {
                    Rates.acquire(limiter, move.size());
                }
                List<OutgoingMessage> out = new ArrayList<>();
                Map<String, Message> byId = new HashMap<>();
                for (Message m : move) {
                    out.add(new OutgoingMessage(m.messageId(), m.body(), m.messageAttributes()));
                    byId.put(m.messageId(), m);
                }
                SendResult result = sender.send(options.targetUrl(), out);
                for (SendResult.Failure f : result.failed()) {
                    failed++;
                    if (failures.size() < 50) {
                        failures.add(f);
                    }
                    leftBehind.add(byId.get(f.id())); // stays in the DLQ
                }
                List<DeleteMessageBatchRequestEntry> deletes = new ArrayList<>();
                for (int i = 0; i < result.sent().size(); i++) {
                    deletes.add(DeleteMessageBatchRequestEntry.builder().id("d" + i)
                            .receiptHandle(byId.get(result.sent().get(i)).receiptHandle()).build());
                }
                if (!deletes.isEmpty()) {
                    var d = sqs.deleteMessageBatch(r -> r.queueUrl(options.dlqUrl()).entries(deletes));
                    moved += d.successful().size();
                    duplicated += d.failed().size();
                    progress.step(d.successful().size());
                }
            }
        } finally {
            dlq.release(leftBehind);
        }
        return new RedriveSummary("manual", Queues.name(options.dlqUrl()), Queues.name(options.targetUrl()), moved,
                skippedIds.size(), failed, duplicated, null, null, failures, Duration.between(start, Instant.now()));
    }
}
