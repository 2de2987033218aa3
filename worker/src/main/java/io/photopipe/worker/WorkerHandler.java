package io.photopipe.worker;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.photopipe.worker.process.BatchProcessor;
import io.photopipe.worker.process.Deadline;
import io.photopipe.worker.process.QueueMessage;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Lambda function: {@code io.photopipe.worker.WorkerHandler::handleRequest}, an SQS event source with
 * {@code ReportBatchItemFailures}
 * (<a href="https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html">partial batch
 * responses</a>). A thin adapter: it turns Lambda's event into {@link QueueMessage}s and the deadline, and the
 * {@link BatchProcessor}'s result into {@code batchItemFailures}. Everything is built once per execution environment
 * (in the constructor, which Lambda runs during init, so SnapStart snapshots it).
 */
public final class WorkerHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
    private static final Logger LOG = LoggerFactory.getLogger(WorkerHandler.class);

    /** Built on first use of the no-argument constructor (Lambda's init phase), from the environment. */
    private static final class Default {
        static final Worker WORKER = Worker.fromEnvironment();
    }

    private final Worker worker;

    /** What Lambda calls: the worker configured by this process's environment variables. */
    public WorkerHandler() {
        this(Default.WORKER);
    }

    /** A handler over a given worker (tests, tools). */
    public WorkerHandler(Worker worker) {
        this.worker = worker;
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        if (event == null || event.getRecords() == null) {
            // Lambda's SQS event source never invokes without Records. Answering "success" here would make the event
            // source mapping delete a whole batch unprocessed (seen when joda-time was missing from the jar and the
            // runtime client's deserializer produced an empty event), so fail the invocation: the batch comes back.
            throw new IllegalStateException("received an SQS event without Records: the event did not deserialize"
                    + " (is aws-lambda-java-events with joda-time in the deployment jar?) or this is not an SQS trigger");
        }
        List<QueueMessage> messages = event.getRecords().stream().map(WorkerHandler::message).toList();
        Deadline deadline = context == null ? Deadline.none()
                : Deadline.in(Duration.ofMillis(context.getRemainingTimeInMillis()));
        if (context != null && !messages.isEmpty()) {
            warnIfTooShort(context.getRemainingTimeInMillis());
        }
        BatchProcessor.Result result = worker.batch().process(messages, deadline);
        if (result.recycle()) {
            // Abandoned renders still run here: this environment must go (the messages are already settled).
            worker.recycle();
        }
        return SQSBatchResponse.builder()
                .withBatchItemFailures(result.failedMessageIds().stream()
                        .map(id -> SQSBatchResponse.BatchItemFailure.builder().withItemIdentifier(id).build())
                        .toList())
                .build();
    }

    /**
     * A function timeout shorter than the margins makes every message a "deadline" retry; so does a runtime that sends
     * no {@code Lambda-Runtime-Deadline-Ms}. Say so, with the fix.
     */
    private void warnIfTooShort(long remainingMillis) {
        WorkerConfig.Processing p = worker.config().processing();
        long needed = p.safetyMargin().plus(p.finishMargin()).toMillis();
        if (remainingMillis <= needed) {
            LOG.error("invoked with {} ms left, not more than {} + {} ({} + {}): photos cannot start or finish in time. Raise the "
                    + "function timeout or lower the margins", remainingMillis, WorkerConfig.SAFETY_MARGIN_MS,
                    WorkerConfig.FINISH_MARGIN_MS, p.safetyMargin().toMillis(), p.finishMargin().toMillis());
        }
    }

    static QueueMessage message(SQSEvent.SQSMessage m) {
        Map<String, String> attributes = new LinkedHashMap<>();
        if (m.getMessageAttributes() != null) {
            m.getMessageAttributes().forEach((name, a) -> {
                if (a != null && a.getStringValue() != null) {
                    attributes.put(name, a.getStringValue());
                }
            });
        }
        int receiveCount = 1;
        if (m.getAttributes() != null && m.getAttributes().get("ApproximateReceiveCount") != null) {
            try {
                receiveCount = Integer.parseInt(m.getAttributes().get("ApproximateReceiveCount"));
            } catch (NumberFormatException e) {
                receiveCount = 1;
            }
        }
        return new QueueMessage(m.getMessageId(), m.getReceiptHandle(), m.getBody(), receiveCount,
                m.getEventSourceArn(), attributes);
    }
}
