package io.photopipe.worker.aws;

import io.photopipe.core.MessageAttributes;
import io.photopipe.core.PhotoStatus;
import io.photopipe.worker.ports.ResultsPublisher;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/** Publishes each final {@link PhotoStatus} as JSON to the results queue. */
public final class SqsResultsPublisher implements ResultsPublisher {
    private final SqsClient sqs;
    private final String queueUrl;
    private final CallGuard guard;

    public SqsResultsPublisher(SqsClient sqs, String queueUrl, CallGuard guard) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.guard = guard;
    }

    @Override
    public void publish(PhotoStatus status) {
        guard.run("SendMessage to the results queue " + queueUrl, () -> sqs.sendMessage(b -> b.queueUrl(queueUrl)
                .messageBody(status.toJson())
                .messageAttributes(java.util.Map.of(MessageAttributes.OBJECT, MessageAttributeValue.builder()
                        .dataType("String").stringValue(status.bucket() + "/" + status.key()).build()))));
    }
}
