package io.photopipe.local.esm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.photopipe.local.servers.EmbeddedSqs;
import io.photopipe.local.servers.EmbeddedSqs.QueuePair;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** Queues on an embedded ElasticMQ and what the scripted test function saw. */
final class EsmFixture {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger SEQ = new AtomicInteger();

    static String uniqueName(String base) {
        return base + "-" + ProcessHandle.current().pid() + "-" + SEQ.incrementAndGet();
    }

    static QueuePair queues(EmbeddedSqs sqs, String base, int maxReceiveCount, int visibilitySeconds) {
        String name = uniqueName(base);
        return sqs.createQueueWithDlq(name, name + "-dlq", maxReceiveCount, visibilitySeconds);
    }

    static void send(SqsClient sqs, String queueUrl, String... bodies) {
        List<String> list = List.of(bodies);
        if (list.stream().mapToInt(String::length).sum() > 200_000) { // SendMessageBatch carries 256 KiB at most
            list.forEach(body -> sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(body)));
            return;
        }
        for (int from = 0; from < list.size(); from += 10) {
            List<String> chunk = list.subList(from, Math.min(list.size(), from + 10));
            var entries = new ArrayList<software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry>();
            for (int i = 0; i < chunk.size(); i++) {
                entries.add(software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry.builder()
                        .id("m" + i).messageBody(chunk.get(i)).build());
            }
            var r = sqs.sendMessageBatch(b -> b.queueUrl(queueUrl).entries(entries));
            if (!r.failed().isEmpty()) {
                throw new IllegalStateException("send failed: " + r.failed());
            }
        }
    }

    /** Visible + in flight + delayed messages. */
    static long depth(SqsClient sqs, String queueUrl) {
        var a = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)).attributes();
        return a.values().stream().mapToLong(Long::parseLong).sum();
    }

    /** Drains a queue (the DLQ in tests) and returns the bodies. */
    static List<String> drain(SqsClient sqs, String queueUrl) {
        List<String> bodies = new ArrayList<>();
        for (;;) {
            List<Message> ms = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10)
                    .waitTimeSeconds(0)).messages();
            if (ms.isEmpty()) {
                return bodies;
            }
            for (Message m : ms) {
                bodies.add(m.body());
                sqs.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(m.receiptHandle()));
            }
        }
    }

    /** The events the scripted function received for the queue, in order. */
    static List<JsonNode> events(QueuePair q) {
        String name = q.queueArn().substring(q.queueArn().lastIndexOf(':') + 1);
        Path dir = Path.of("target", "esm-records", name);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().map(f -> {
                try {
                    return JSON.readTree(f.toFile());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The bodies of every record delivered, across events. */
    static List<String> deliveredBodies(QueuePair q) {
        List<String> bodies = new ArrayList<>();
        events(q).forEach(e -> e.get("Records").forEach(r -> bodies.add(r.get("body").asText())));
        return bodies;
    }

    /** One poller for the whole test. */
    static ScalingPolicy noScaling() {
        return new ScalingPolicy(1, 1, Duration.ofHours(1), Duration.ofHours(1));
    }

    static ScalingPolicy fastScaling(int initial) {
        return new ScalingPolicy(initial, 2, Duration.ofMillis(200), Duration.ofMillis(600));
    }
}
