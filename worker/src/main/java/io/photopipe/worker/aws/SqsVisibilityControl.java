package io.photopipe.worker.aws;

import io.photopipe.worker.ports.PortException;
import io.photopipe.worker.ports.VisibilityControl;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchResponse;

/**
 * {@link VisibilityControl} with ChangeMessageVisibilityBatch. Lambda's event source mapping leaves a failed
 * message invisible for the queue's whole visibility timeout (at least six times the function timeout); setting it
 * here makes retries back off by receive count instead
 * (<a href="https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html">SQS error handling</a>).
 * The queue URL comes from the record's {@code eventSourceARN} ({@code arn:aws:sqs:REGION:ACCOUNT:NAME}) through
 * GetQueueUrl, cached.
 */
public final class SqsVisibilityControl implements VisibilityControl {
    private static final Logger LOG = LoggerFactory.getLogger(SqsVisibilityControl.class);
    private static final int BATCH = 10; // ChangeMessageVisibilityBatch's limit

    private final SqsClient sqs;
    private final CallGuard guard;
    private final Map<String, String> urls = new ConcurrentHashMap<>();

    public SqsVisibilityControl(SqsClient sqs, CallGuard guard) {
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
