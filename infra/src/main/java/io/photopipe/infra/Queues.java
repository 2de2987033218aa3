package io.photopipe.infra;

import io.photopipe.core.PipelineSettings;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.sqs.DeadLetterQueue;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;
import software.constructs.Construct;

/**
 * The upload queue the bucket notifies, its dead-letter queue and the results queue, named and tuned by the
 * settings exactly as the local runtime creates them in ElasticMQ.
 */
public final class Queues extends Construct {

    /** SQS's maximum retention, for the DLQ: a failed photo waits as long as SQS allows for a redrive. */
    static final Duration MAX_RETENTION = Duration.days(14);

    private final Queue uploads;
    private final Queue dlq;
    private final Queue results;

    public Queues(Construct scope, String id, PipelineSettings settings) {
        super(scope, id);
        PipelineSettings.Queue q = settings.queue();
        dlq = Queue.Builder.create(this, "Dlq")
                .queueName(q.dlqName())
                .retentionPeriod(MAX_RETENTION)
                .encryption(QueueEncryption.SQS_MANAGED)
                .enforceSsl(true)
                .build();
        // The visibility timeout is at least 6 x the function timeout + the batching window, which
        // PipelineSettings enforces: https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html
        uploads = Queue.Builder.create(this, "Uploads")
                .queueName(q.name())
                .visibilityTimeout(Duration.seconds(q.visibilityTimeoutSeconds()))
                .retentionPeriod(Duration.seconds(q.retentionSeconds()))
                .deadLetterQueue(DeadLetterQueue.builder().queue(dlq).maxReceiveCount(q.maxReceiveCount()).build())
                // SSE-SQS (not a KMS key): S3 can deliver to it without a key policy, and it costs nothing.
                .encryption(QueueEncryption.SQS_MANAGED)
                .enforceSsl(true)
                .build();
        results = Queue.Builder.create(this, "Results")
                .queueName(q.resultsName())
                .retentionPeriod(Duration.seconds(q.retentionSeconds()))
                .encryption(QueueEncryption.SQS_MANAGED)
                .enforceSsl(true)
                .build();
    }

    /** The queue S3 notifies and the worker consumes. */
    public Queue uploads() {
        return uploads;
    }

    /** The uploads' dead-letter queue. */
    public Queue dlq() {
        return dlq;
    }

    /** Where the worker publishes each photo's READY/FAILED status. */
    public Queue results() {
        return results;
    }
}
