package io.photopipe.producer;

import java.util.Map;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesResponse;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

/** Finding queues by name or URL. */
public final class Queues {
    private Queues() {
    }

    /**
     * The URL of a queue given by name or URL.
     *
     * @throws ProducerException with {@link ExitCodes#AWS} if the queue does not exist
     */
    public static String url(SqsClient sqs, String nameOrUrl) {
        if (nameOrUrl.startsWith("https://") || nameOrUrl.startsWith("http://")) {
            return nameOrUrl;
        }
        try {
            return sqs.getQueueUrl(r -> r.queueName(nameOrUrl)).queueUrl();
        } catch (QueueDoesNotExistException e) {
            throw ProducerException.aws("queue '" + nameOrUrl + "' does not exist (endpoint "
                    + sqs.serviceClientConfiguration().endpointOverride().map(Object::toString).orElse("AWS") + ", region "
                    + sqs.serviceClientConfiguration().region() + "): pass --queue, or --settings with the right "
                    + "queue.name", e);
        }
    }

    /** The queue's ARN. */
    public static String arn(SqsClient sqs, String queueUrl) {
        return attributes(sqs, queueUrl).get(QueueAttributeName.QUEUE_ARN);
    }

    /** All attributes of a queue. */
    public static Map<QueueAttributeName, String> attributes(SqsClient sqs, String queueUrl) {
        GetQueueAttributesResponse r = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl)
                .attributeNames(QueueAttributeName.ALL));
        return r.attributes();
    }

    /** The last path segment of a queue URL, for messages. */
    public static String name(String queueUrl) {
        int slash = queueUrl.lastIndexOf('/');
        return slash < 0 ? queueUrl : queueUrl.substring(slash + 1);
    }
}
