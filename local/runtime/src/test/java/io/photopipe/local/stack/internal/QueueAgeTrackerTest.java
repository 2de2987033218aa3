package io.photopipe.local.stack.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.photopipe.local.servers.EmbeddedSqs;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/** The age of the oldest received-but-not-deleted message, seen through a real SQS client against ElasticMQ. */
class QueueAgeTrackerTest {

    @Test
    void tracksReceivedMessagesUntilDeleted() {
        QueueAgeTracker tracker = new QueueAgeTracker(Duration.ofMinutes(5));
        try (EmbeddedSqs sqs = EmbeddedSqs.start();
             SqsClient client = sqs.clientBuilder().overrideConfiguration(o -> o.addExecutionInterceptor(tracker))
                     .build()) {
            String url = sqs.createQueue("age", Map.of());
            client.sendMessage(b -> b.queueUrl(url).messageBody("one"));
            client.sendMessage(b -> b.queueUrl(url).messageBody("two"));
            assertThat(tracker.oldestAge()).isZero();

            List<Message> got = client.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10)
                    .waitTimeSeconds(1)).messages(); // no attribute asked: the tracker adds SentTimestamp
            assertThat(got).hasSize(2);
            assertThat(tracker.tracked()).isEqualTo(2);
            await().atMost(Duration.ofSeconds(10)).until(() -> tracker.oldestAge().toMillis() >= 50);

            client.deleteMessage(b -> b.queueUrl(url).receiptHandle(got.get(0).receiptHandle()));
            assertThat(tracker.tracked()).isEqualTo(1);
            client.deleteMessageBatch(b -> b.queueUrl(url).entries(e -> e.id("1")
                    .receiptHandle(got.get(1).receiptHandle())));
            assertThat(tracker.tracked()).isZero();
            assertThat(tracker.oldestAge()).isZero();
        }
    }
}
