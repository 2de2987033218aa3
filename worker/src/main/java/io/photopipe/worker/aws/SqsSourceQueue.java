package io.photopipe.worker.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.photopipe.worker.ports.PortException;
import io.photopipe.worker.ports.SourceQueue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchResponse;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * {@link SourceQueue} on SQS. Lambda's event source mapping leaves a failed message invisible for the queue's whole
 * visibility timeout (at least six times the function timeout); ChangeMessageVisibilityBatch here makes retries back
 * off by receive count instead
 * (<a href="https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html">SQS error handling</a>).
 * The queue URL comes from the record's {@code eventSourceARN} ({@code arn:aws:sqs:REGION:ACCOUNT:NAME}) through
 * GetQueueUrl, cached; so is its {@code RedrivePolicy} (GetQueueAttributes, once per environment). The event source
 * mapping's {@code grantConsumeMessages} already allows all of these, DeleteMessage included.
 */
public final class SqsSourceQueue implements SourceQueue {
    private static final Logger LOG = LoggerFactory.getLogger(SqsSourceQueue.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int BATCH = 10; // the limit of ChangeMessageVisibilityBatch and DeleteMessageBatch

    private final SqsClient sqs;
    private final CallGuard guard;
    private final Map<String, String> urls = new ConcurrentHashMap<>();
    private final Map<String, OptionalInt> maxReceiveCounts = new ConcurrentHashMap<>();

    public SqsSourceQueue(SqsClient sqs, CallGuard guard) {
        this.sqs = sqs;
        this.guard = guard;
    }

    @Override
    public void change(String queueArn, List<Change> changes) {
        try {
            String url = queueUrl(queueArn);
            for (int from = 0; from < changes.size(); from += BATCH) {
                List<ChangeMessageVisibilityBatchRequestEntry> entries = new ArrayList<>();
                for (int i = from; i < Math.min(changes.size(), from + BATCH); i++) {
                    Change c = changes.get(i);
                    entries.add(ChangeMessageVisibilityBatchRequestEntry.builder().id("m" + i)
                            .receiptHandle(c.receiptHandle()).visibilityTimeout(c.seconds()).build());
                }
                ChangeMessageVisibilityBatchResponse r = guard.call("ChangeMessageVisibilityBatch on " + url,
                        () -> sqs.changeMessageVisibilityBatch(b -> b.queueUrl(url).entries(entries)));
                if (r.hasFailed() && !r.failed().isEmpty()) {
                    LOG.warn("could not change the visibility of {} messages on {}: {}", r.failed().size(), url,
                            r.failed());
                }
            }
        } catch (PortException | IllegalArgumentException e) {
            // Best effort: the messages then come back after the queue's visibility timeout.
            LOG.warn("could not change message visibility on {}: {}", queueArn, e.getMessage());
        }
    }

    @Override
    public void delete(String queueArn, List<String> receiptHandles) {
        String url;
        try {
            url = queueUrl(queueArn);
        } catch (IllegalArgumentException e) {
            throw new PortException(PortException.REFUSED, e.getMessage(), e);
        }
        for (int from = 0; from < receiptHandles.size(); from += BATCH) {
            List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>();
            for (int i = from; i < Math.min(receiptHandles.size(), from + BATCH); i++) {
                entries.add(DeleteMessageBatchRequestEntry.builder().id("d" + i).receiptHandle(receiptHandles.get(i))
                        .build());
            }
            DeleteMessageBatchResponse r = guard.call("DeleteMessageBatch on " + url,
                    () -> sqs.deleteMessageBatch(b -> b.queueUrl(url).entries(entries)));
            if (r.hasFailed() && !r.failed().isEmpty()) {
                throw new PortException(PortException.SQS_UNAVAILABLE, "could not delete " + r.failed().size()
                        + " messages on " + url + ": " + r.failed(), null);
            }
        }
    }

    @Override
    public OptionalInt maxReceiveCount(String queueArn) {
        OptionalInt known = maxReceiveCounts.get(queueArn);
        if (known != null) {
            return known;
        }
        OptionalInt found;
        try {
            String url = queueUrl(queueArn);
            String policy = guard.call("GetQueueAttributes RedrivePolicy of " + url, () -> sqs.getQueueAttributes(b ->
                    b.queueUrl(url).attributeNames(QueueAttributeName.REDRIVE_POLICY)).attributes()
                    .get(QueueAttributeName.REDRIVE_POLICY));
            found = parseMaxReceiveCount(policy);
        } catch (PortException | IllegalArgumentException e) {
            // Not cached: asked again on the next batch.
            LOG.warn("could not read the redrive policy of {}: {}", queueArn, e.getMessage());
            return OptionalInt.empty();
        }
        maxReceiveCounts.put(queueArn, found);
        return found;
    }

    /** {@code maxReceiveCount} of a RedrivePolicy document (SQS returns it as a string or a number). */
    static OptionalInt parseMaxReceiveCount(String policy) {
        if (policy == null || policy.isBlank()) {
            return OptionalInt.empty();
        }
        try {
            JsonNode n = JSON.readTree(policy).path("maxReceiveCount");
            int v = n.isNumber() ? n.asInt() : Integer.parseInt(n.asText());
            return v >= 1 ? OptionalInt.of(v) : OptionalInt.empty();
        } catch (Exception e) {
            return OptionalInt.empty();
        }
    }

    private String queueUrl(String arn) {
        return urls.computeIfAbsent(arn, a -> {
            String[] parts = a.split(":", 6);
            if (parts.length != 6 || !parts[0].equals("arn") || !parts[2].equals("sqs")) {
                throw new IllegalArgumentException("not an SQS queue ARN: '" + a + "'");
            }
            return guard.call("GetQueueUrl " + parts[5], () -> sqs.getQueueUrl(b -> b.queueName(parts[5])
                    .queueOwnerAWSAccountId(parts[4])).queueUrl());
        });
    }
}
