package io.photopipe.local.servers;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

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
    void redrivesToTheDlqAfterMaxReceiveCount() {
        EmbeddedSqs.QueuePair q = sqs.createQueueWithDlq("redrive", "redrive-dlq", 2, 30);
        client.sendMessage(b -> b.queueUrl(q.queueUrl()).messageBody("poison"));
        for (int receive = 1; receive <= 2; receive++) {
            Message m = receiveOne(q.queueUrl());
            assertThat(m.body()).isEqualTo("poison");
            // Fail it at once instead of waiting out the visibility timeout.
            client.changeMessageVisibility(b -> b.queueUrl(q.queueUrl()).receiptHandle(m.receiptHandle())
                    .visibilityTimeout(0));
        }
        // The third receive finds it over maxReceiveCount: SQS moves it to the DLQ instead of delivering it.
        assertThat(client.receiveMessage(b -> b.queueUrl(q.queueUrl()).waitTimeSeconds(0)).messages()).isEmpty();
        Message dead = receiveOne(q.dlqUrl());
        assertThat(dead.body()).isEqualTo("poison");
    }

    @Test
    void createQueueConvergesOnNewAttributes() {
        String url = sqs.createQueue("converge", Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "30"));
        assertThat(sqs.createQueue("converge", Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "45"))).isEqualTo(url);
        assertThat(client.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.VISIBILITY_TIMEOUT))
                .attributes()).containsEntry(QueueAttributeName.VISIBILITY_TIMEOUT, "45");
    }

    @Test
    void persistentStoreKeepsQueuesAndMessagesAcrossRestart(@TempDir Path dir) {
        EmbeddedSqs.Options options = EmbeddedSqs.Options.defaults().withPersistenceDir(dir.resolve("sqs"));
        try (EmbeddedSqs first = EmbeddedSqs.start(options)) {
            EmbeddedSqs.QueuePair q = first.createQueueWithDlq("kept", "kept-dlq", 3, 30);
            first.client().sendMessage(b -> b.queueUrl(q.queueUrl()).messageBody("one"));
            first.client().sendMessage(b -> b.queueUrl(q.queueUrl()).messageBody("two"));
            assertThatThrownBy(() -> EmbeddedSqs.start(options))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("one per JVM");
        }
        try (EmbeddedSqs second = EmbeddedSqs.start(options)) {
            String url = second.client().getQueueUrl(b -> b.queueName("kept")).queueUrl();
            assertThat(second.client().getQueueAttributes(b -> b.queueUrl(url)
                    .attributeNames(QueueAttributeName.REDRIVE_POLICY)).attributes()
                    .get(QueueAttributeName.REDRIVE_POLICY)).contains("kept-dlq");
            List<String> bodies = new ArrayList<>();
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                for (Message m : second.client().receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10)
                        .waitTimeSeconds(1)).messages()) {
                    bodies.add(m.body());
                    second.client().deleteMessage(b -> b.queueUrl(url).receiptHandle(m.receiptHandle()));
                }
                return bodies.size() >= 2;
            });
            assertThat(bodies).containsExactlyInAnyOrder("one", "two");
        }
    }

    /** The outage switch: the port closes, clients fail, and after the restart every message is there again. */
    @Test
    void stopAndRestartKeepThePortAndEveryMessage(@TempDir Path dir) {
        try (EmbeddedSqs store = EmbeddedSqs.start(EmbeddedSqs.Options.defaults().withPersistenceDir(dir.resolve("q")))) {
            EmbeddedSqs.QueuePair q = store.createQueueWithDlq("out", "out-dlq", 3, 30);
            store.client().sendMessage(b -> b.queueUrl(q.queueUrl()).messageBody("before"));
            Message inFlight = store.client().receiveMessage(b -> b.queueUrl(q.queueUrl()).waitTimeSeconds(1)
                    .visibilityTimeout(2)).messages().getFirst();
            assertThat(inFlight.body()).isEqualTo("before");
            store.client().sendMessage(b -> b.queueUrl(q.queueUrl()).messageBody("waiting"));

            store.stop();
            assertThat(store.running()).isFalse();
            assertThatThrownBy(() -> store.client().sendMessage(b -> b.queueUrl(q.queueUrl()).messageBody("lost?")))
                    .isInstanceOf(software.amazon.awssdk.core.exception.SdkClientException.class);
            store.stop(); // idempotent

            store.restart();
            assertThat(store.running()).isTrue();
            assertThat(store.endpoint().getPort()).isEqualTo(store.port());
            store.client().sendMessage(b -> b.queueUrl(q.queueUrl()).messageBody("after"));
            List<String> bodies = new ArrayList<>();
            await().atMost(Duration.ofSeconds(15)).until(() -> {
                for (Message m : store.client().receiveMessage(b -> b.queueUrl(q.queueUrl()).maxNumberOfMessages(10)
                        .waitTimeSeconds(1)).messages()) {
                    bodies.add(m.body());
                    store.client().deleteMessage(b -> b.queueUrl(q.queueUrl()).receiptHandle(m.receiptHandle()));
                }
                return bodies.size() >= 3;
            });
            assertThat(bodies).as("the in-flight one returns after its visibility timeout")
                    .containsExactlyInAnyOrder("before", "waiting", "after");
        }
    }

    @Test
    void anInMemoryServerCannotRestart() {
        try (EmbeddedSqs mem = EmbeddedSqs.start()) {
            mem.stop();
            assertThatThrownBy(mem::restart).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("only a persistent one");
        }
    }

    @Test
    void restartsOnTheSameFixedPort() throws Exception {
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
            port = free.getLocalPort();
        }
        for (int i = 0; i < 2; i++) {
            try (EmbeddedSqs fixed = EmbeddedSqs.start(EmbeddedSqs.Options.defaults().withPort(port))) {
                assertThat(fixed.endpoint().toString()).isEqualTo("http://127.0.0.1:" + port);
                assertThat(fixed.createQueue("fixed", Map.of())).contains(":" + port + "/");
            }
        }
    }

    @Test
    void fixedPortThatIsTakenFailsWithTheAddress() {
        assertThatThrownBy(() -> EmbeddedSqs.start(EmbeddedSqs.Options.defaults().withPort(sqs.port())))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("127.0.0.1:" + sqs.port());
    }

    @Test
    void optionsRejectBadPort() {
        assertThatThrownBy(() -> new EmbeddedSqs.Options("127.0.0.1", -1, null)).hasMessageContaining("port must be");
        assertThatThrownBy(() -> sqs.createQueueWithDlq("q", "q-dlq", 0, 30)).hasMessageContaining("maxReceiveCount");
    }

    private static Message receiveOne(String url) {
        List<Message> got = new ArrayList<>();
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            got.addAll(client.receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(1)).messages());
            return !got.isEmpty();
        });
        assertThat(got).hasSize(1);
        return got.getFirst();
    }

    @Test
    void createQueueWithDlqReportsArns() {
        EmbeddedSqs.QueuePair q = sqs.createQueueWithDlq("work", "work-dlq", 2, 1);
        assertThat(q.queueArn()).isEqualTo("arn:aws:sqs:us-east-1:000000000000:work");
        assertThat(q.dlqArn()).isEqualTo("arn:aws:sqs:us-east-1:000000000000:work-dlq");
        assertThat(q.dlqUrl()).endsWith("/work-dlq");
    }
}
