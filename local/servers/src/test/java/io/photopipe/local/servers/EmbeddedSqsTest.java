package io.photopipe.local.servers;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class EmbeddedSqsTest {

    static EmbeddedSqs sqs;
    static SqsClient client;

    @BeforeAll
    static void start() {
        sqs = EmbeddedSqs.start();
        client = sqs.client();
    }

    @AfterAll
    static void stop() {
        sqs.close();
    }

    @Test
    void sendReceiveDelete() {
        String url = sqs.createQueue("plain", Map.of());
        assertThat(sqs.createQueue("plain", Map.of())).isEqualTo(url);
        assertThat(url).contains(":" + sqs.port() + "/" + LocalCredentials.ACCOUNT_ID + "/plain");
        client.sendMessage(b -> b.queueUrl(url).messageBody("hello"));
        List<Message> got = client.receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(5)).messages();
        assertThat(got).extracting(Message::body).containsExactly("hello");
        client.deleteMessage(b -> b.queueUrl(url).receiptHandle(got.getFirst().receiptHandle()));
        assertThat(client.receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(0)).messages()).isEmpty();
    }

    @Test
    void createQueueWithDlqReportsArns() {
        EmbeddedSqs.QueuePair q = sqs.createQueueWithDlq("work", "work-dlq", 2, 1);
        assertThat(q.queueArn()).isEqualTo("arn:aws:sqs:us-east-1:000000000000:work");
        assertThat(q.dlqArn()).isEqualTo("arn:aws:sqs:us-east-1:000000000000:work-dlq");
        assertThat(q.dlqUrl()).endsWith("/work-dlq");
    }
}
