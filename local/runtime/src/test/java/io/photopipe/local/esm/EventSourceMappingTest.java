package io.photopipe.local.esm;

import static io.photopipe.local.esm.EsmFixture.deliveredBodies;
import static io.photopipe.local.esm.EsmFixture.depth;
import static io.photopipe.local.esm.EsmFixture.drain;
import static io.photopipe.local.esm.EsmFixture.events;
import static io.photopipe.local.esm.EsmFixture.queues;
import static io.photopipe.local.esm.EsmFixture.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.photopipe.local.TestFunctions;
import io.photopipe.local.lambda.LambdaOptions;
import io.photopipe.local.lambda.LocalLambda;
import io.photopipe.local.servers.EmbeddedSqs;
import io.photopipe.local.servers.EmbeddedSqs.QueuePair;
import io.photopipe.local.testfn.SqsScriptHandler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * One test per documented rule of Lambda's SQS event source mapping, against ElasticMQ, with the scripted test
 * function running in process (the child-JVM runtime has its own tests, see EventSourceMappingChildJvmTest).
 */
class EventSourceMappingTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    static EmbeddedSqs server;
    static SqsClient sqs;
    static LocalLambda lambda;

    @BeforeAll
    static void start() {
        server = EmbeddedSqs.start();
        sqs = server.client();
        lambda = LocalLambda.start(LambdaOptions.inProcess());
        lambda.register(TestFunctions.function("script", SqsScriptHandler.class, 30));
    }

    @AfterAll
    static void stop() {
        lambda.close();
        server.close();
    }

    private static EsmConfig config(QueuePair q, int batchSize, int window, boolean reportFailures) {
        return new EsmConfig("script", q.queueUrl(), q.queueArn(), batchSize, window, 10, reportFailures, List.of(),
                EsmFixture.fastScaling(1));
    }

    private static List<Integer> batchSizes(QueuePair q) {
        return events(q).stream().map(e -> e.get("Records").size()).toList();
    }

    // https://docs.aws.amazon.com/lambda/latest/api/API_CreateEventSourceMapping.html
    @Test
    void configIsValidatedAsCreateEventSourceMappingDoes() {
        record Case(int batch, int window, int concurrency, String field) { }
        for (Case c : List.of(new Case(0, 0, 2, "BatchSize"), new Case(10_001, 1, 2, "BatchSize"),
                new Case(10, 301, 2, "MaximumBatchingWindowInSeconds"),
                new Case(11, 0, 2, "MaximumBatchingWindowInSeconds"),
                new Case(10, 0, 1, "MaximumConcurrency"), new Case(10, 0, 1001, "MaximumConcurrency"))) {
            org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                    .isThrownBy(() -> new EsmConfig("f", "http://q", "arn:aws:sqs:us-east-1:0:q", c.batch, c.window,
                            c.concurrency, true, List.of(), null))
                    .withMessageContaining(c.field);
        }
        assertThat(new EsmConfig("f", "http://q", "arn:aws:sqs:us-east-1:0:q", 10_000, 1, 1000, true, List.of(), null)
                .scaling()).isEqualTo(ScalingPolicy.aws());
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> new EsmConfig("f", "http://q", "arn:aws:sqs:us-east-1:0:q", 10, 0, 2, true,
                        List.of("{\"body\": \"photo\"}"), null))
                .withMessageContaining("FilterCriteria");
    }

    // BatchSize: "The maximum number of records in each batch that Lambda pulls from your stream or queue"
    @Test
    void noBatchIsLargerThanBatchSize() {
        QueuePair q = queues(server, "batchsize", 5, 30);
        send(sqs, q.queueUrl(), IntStream.range(0, 17).mapToObj(i -> "ok-" + i).toArray(String[]::new));
        try (EventSourceMapping esm = EventSourceMapping.start(sqs, lambda, config(q, 3, 0, true))) {
            await().atMost(WAIT).until(() -> depth(sqs, q.queueUrl()) == 0);
            assertThat(esm.stats().deleted()).isEqualTo(17);
        }
        assertThat(batchSizes(q)).allMatch(n -> n >= 1 && n <= 3);
        assertThat(deliveredBodies(q)).hasSize(17);
    }

    // MaximumBatchingWindowInSeconds: records are gathered until BatchSize is reached
    // (https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-parameters.html#services-sqs-batching)
    @Test
    void aBatchingWindowGathersMoreThanOneReceiveUpToBatchSize() {
        QueuePair q = queues(server, "window", 5, 30);
        send(sqs, q.queueUrl(), IntStream.range(0, 25).mapToObj(i -> "ok-" + i).toArray(String[]::new));
        // one poller (no scaling during the test), so the batches depend on the window alone
        EsmConfig one = config(q, 20, 3, true).withScaling(EsmFixture.noScaling());
        try (EventSourceMapping esm = EventSourceMapping.start(sqs, lambda, one)) {
            await().atMost(WAIT).until(() -> esm.stats().deleted() == 25);
        }
        // 20 then the 5 left once the window expired: more than one ReceiveMessage (10 max) per batch
        assertThat(batchSizes(q)).containsExactly(20, 5);
    }

    // ... or the batching window expires with fewer records
    @Test
    void theWindowExpiringInvokesWithFewerRecordsThanBatchSize() {
        QueuePair q = queues(server, "expiry", 5, 30);
        send(sqs, q.queueUrl(), "ok-1", "ok-2", "ok-3");
        try (EventSourceMapping esm = EventSourceMapping.start(sqs, lambda, config(q, 100, 1, true))) {
            await().atMost(WAIT).until(() -> esm.stats().deleted() == 3);
        }
        assertThat(batchSizes(q)).containsExactly(3);
    }

    // ... or the 6 MB invoke payload cap would be passed: the rest goes to the next batch
    // (https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html, 6 MB synchronous payload)
    @Test
    void theSixMegabytePayloadCapSplitsABatch() {
        QueuePair q = queues(server, "cap", 5, 60);
        String big = "ok-" + "x".repeat(240_000);
        send(sqs, q.queueUrl(), Collections.nCopies(30, big).toArray(String[]::new));
        // one poller (no scaling during the test), so a batch gathers everything the window allows
        EsmConfig one = config(q, 100, 3, true).withScaling(EsmFixture.noScaling());
        EventSourceMapping esm = EventSourceMapping.start(sqs, lambda, one);
        try (esm) {
            await().atMost(WAIT).until(() -> esm.stats().deleted() == 30);
        }
        assertThat(esm.stats().payloadCapSplits()).isPositive();
        assertThat(batchSizes(q)).hasSizeGreaterThan(1).allMatch(n -> n <= 26);
        assertThat(events(q)).allMatch(e -> e.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length
                <= 6 * 1024 * 1024);
        assertThat(batchSizes(q).stream().mapToInt(Integer::intValue).sum()).isEqualTo(30);
    }

    // ReportBatchItemFailures: only the reported messages come back; the others are deleted; after maxReceiveCount
    // the queue (not the mapping) moves them to the DLQ
    // (https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html)
    @Test
    void reportedItemFailuresComeBackAndEndInTheDlqTheRestIsDeleted() {
        QueuePair q = queues(server, "partial", 2, 2);
        send(sqs, q.queueUrl(), "ok-1", "fail", "ok-2");
        EventSourceMapping esm = EventSourceMapping.start(sqs, lambda, config(q, 10, 0, true));
        try (esm) {
            await().atMost(WAIT).until(() -> depth(sqs, q.queueUrl()) == 0 && depth(sqs, q.dlqUrl()) == 1);
        }
        assertThat(drain(sqs, q.dlqUrl())).containsExactly("fail");
        List<String> delivered = deliveredBodies(q);
        assertThat(delivered.stream().filter(b -> b.startsWith("ok"))).containsExactlyInAnyOrder("ok-1", "ok-2");
        assertThat(delivered.stream().filter(b -> b.equals("fail"))).hasSize(2); // maxReceiveCount receives
        assertThat(esm.stats().deleted()).isEqualTo(2);
    }

    // "An empty batchItemFailures list / a null batchItemFailures list / an empty or null EventResponse": success
    @Test
    void emptyOrNullResponsesAreACompleteSuccess() {
        for (String response : List.of("{}", "{\"batchItemFailures\":[]}", "{\"batchItemFailures\":null}", "null", "")) {
            QueuePair q = queues(server, "success", 1, 2);
            send(sqs, q.queueUrl(), "respond:" + response, "ok-1");
            try (EventSourceMapping esm = EventSourceMapping.start(sqs, lambda, config(q, 10, 0, true))) {
                await().atMost(WAIT).until(() -> esm.stats().deleted() == 2);
            }
            assertThat(deliveredBodies(q)).as("response %s", response).hasSize(2);
            assertThat(depth(sqs, q.dlqUrl())).isZero();
        }
    }

    // "Lambda treats the batch as a complete failure" for invalid JSON, an empty or null itemIdentifier, a bad key
    // name, or an itemIdentifier that is not a message of the batch
    @Test
    void anInvalidOrUnknownItemIdentifierOrMalformedResponseFailsTheWholeBatch() {
        List<String> responses = List.of("{\"batchItemFailures\":[{\"itemIdentifier\":\"not-in-this-batch\"}]}",
                "{\"batchItemFailures\":[{\"itemIdentifier\":\"\"}]}",
                "{\"batchItemFailures\":[{\"itemIdentifier\":null}]}",
                "{\"batchItemFailures\":[{\"itemIdentfier\":\"typo\"}]}",
                "{not json");
        // all cases at once, one queue and mapping each, so the test waits one visibility timeout, not five
        List<QueuePair> queues = new ArrayList<>();
        List<EventSourceMapping> mappings = new ArrayList<>();
        try {
            for (String response : responses) {
                QueuePair q = queues(server, "invalid", 1, 2);
                send(sqs, q.queueUrl(), "respond:" + response, "ok-1");
                queues.add(q);
                mappings.add(EventSourceMapping.start(sqs, lambda, config(q, 10, 0, true)));
            }
            // maxReceiveCount 1: a failed batch goes to the DLQ whole, ok-1 included
            for (QueuePair q : queues) {
                await().atMost(WAIT).until(() -> depth(sqs, q.dlqUrl()) == 2);
            }
        } finally {
            mappings.forEach(EventSourceMapping::close);
        }
        for (int i = 0; i < responses.size(); i++) {
            assertThat(mappings.get(i).stats().deleted()).as("response %s", responses.get(i)).isZero();
            assertThat(drain(sqs, queues.get(i).dlqUrl())).containsExactlyInAnyOrder("respond:" + responses.get(i), "ok-1");
        }
    }

    // "If your function throws an error ... the whole batch" returns after the visibility timeout
    @Test
    void aThrownFunctionErrorReturnsTheWholeBatch() {
        QueuePair q = queues(server, "throw", 1, 2);
        send(sqs, q.queueUrl(), "throw", "ok-1");
        EventSourceMapping esm = EventSourceMapping.start(sqs, lambda, config(q, 10, 0, true));
        try (esm) {
            await().atMost(WAIT).until(() -> depth(sqs, q.dlqUrl()) == 2);
        }
        assertThat(esm.stats().invokeErrors()).isPositive();
        assertThat(esm.stats().deleted()).isZero();
        assertThat(drain(sqs, q.dlqUrl())).containsExactlyInAnyOrder("throw", "ok-1");
    }

    // Without ReportBatchItemFailures the response is not read: success deletes all, any error returns all
    @Test
    void withoutReportBatchItemFailuresOnlyAnErrorFailsAndItFailsTheWholeBatch() {
        QueuePair ok = queues(server, "norbif-ok", 1, 2);
        send(sqs, ok.queueUrl(), "fail", "ok-1");
        try (EventSourceMapping esm = EventSourceMapping.start(sqs, lambda, config(ok, 10, 0, false))) {
            await().atMost(WAIT).until(() -> esm.stats().deleted() == 2);
        }
        assertThat(depth(sqs, ok.dlqUrl())).isZero();

        QueuePair err = queues(server, "norbif-err", 1, 2);
        send(sqs, err.queueUrl(), "throw", "ok-1");
        try (EventSourceMapping esm = EventSourceMapping.start(sqs, lambda, config(err, 10, 0, false))) {
            await().atMost(WAIT).until(() -> depth(sqs, err.dlqUrl()) == 2);
            assertThat(esm.stats().deleted()).isZero();
        }
    }

    // Successes are deleted with DeleteMessageBatch; entries that fail are retried, and what still fails is
    // delivered again (at least once, never lost). Here the visibility timeout (1 s) ends during the invocation, so
    // the receipt handles are stale when the batch is deleted, which is why AWS asks for a visibility timeout of six
    // times the function timeout (https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html).
    @Test
    void deletesThatStillFailAfterRetriesLeaveTheMessageToComeBack() {
        QueuePair q = queues(server, "stale", 5, 1);
        send(sqs, q.queueUrl(), "sleep:2500");
        // two pollers: the second receives the message again while the first still runs it, so the first one's
        // receipt handle is stale when it deletes
        try (EventSourceMapping esm = EventSourceMapping.start(sqs, lambda, config(q, 10, 0, true)
                .withScaling(new ScalingPolicy(2, 1, Duration.ofHours(1), Duration.ofHours(1))))) {
            await().atMost(WAIT).until(() -> esm.stats().deleteFailures() >= 1);
            await().atMost(WAIT).until(() -> deliveredBodies(q).size() >= 2);
        }
        assertThat(deliveredBodies(q)).allMatch("sleep:2500"::equals);
    }

    // FilterCriteria: matching messages are delivered; the others are deleted without an invocation
    // (https://docs.aws.amazon.com/lambda/latest/dg/with-sqs-filtering.html)
    @Test
    void messagesMatchingNoFilterAreDeletedWithoutAnInvocation() {
        QueuePair q = queues(server, "filter", 1, 2);
        send(sqs, q.queueUrl(), "{\"kind\":\"photo\",\"size\":10}", "{\"kind\":\"photo\",\"size\":0}",
                "{\"kind\":\"video\",\"size\":10}", "not json", "ok-plain");
        EsmConfig c = config(q, 10, 0, true).withFilterPatterns(List.of(
                "{\"body\":{\"kind\":[\"photo\"],\"size\":[{\"numeric\":[\">\",0]}]}}",
                "{\"body\":[{\"prefix\":\"ok-\"}]}"));
        EventSourceMapping esm = EventSourceMapping.start(sqs, lambda, c);
        try (esm) {
            await().atMost(WAIT).until(() -> depth(sqs, q.queueUrl()) == 0);
        }
        assertThat(deliveredBodies(q)).containsExactlyInAnyOrder("{\"kind\":\"photo\",\"size\":10}", "ok-plain");
        assertThat(esm.stats().filtered()).isEqualTo(3);
        assertThat(depth(sqs, q.dlqUrl())).isZero();
    }

    // The event exactly as Lambda delivers it
    // (https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html#example-standard-queue-message-event)
    @Test
    void theEventHasLambdasSqsRecordShape() {
        QueuePair q = queues(server, "shape", 1, 30);
        sqs.sendMessage(b -> b.queueUrl(q.queueUrl()).messageBody("ok-shape").messageAttributes(Map.of(
                "photopipe-reason", MessageAttributeValue.builder().dataType("String").stringValue("why").build())));
        try (EventSourceMapping esm = EventSourceMapping.start(sqs, lambda, config(q, 10, 0, true))) {
            await().atMost(WAIT).until(() -> esm.stats().deleted() == 1);
        }
        JsonNode r = events(q).getFirst().get("Records").get(0);
        List<String> fields = new ArrayList<>();
        r.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactly("messageId", "receiptHandle", "body", "attributes", "messageAttributes",
                "md5OfBody", "md5OfMessageAttributes", "eventSource", "eventSourceARN", "awsRegion");
        assertThat(r.get("body").asText()).isEqualTo("ok-shape");
        assertThat(r.get("eventSource").asText()).isEqualTo("aws:sqs");
        assertThat(r.get("eventSourceARN").asText()).isEqualTo(q.queueArn());
        assertThat(r.get("awsRegion").asText()).isEqualTo("us-east-1");
        assertThat(r.get("md5OfBody").asText()).hasSize(32);
        JsonNode attrs = r.get("attributes");
        assertThat(attrs.get("ApproximateReceiveCount").asText()).isEqualTo("1");
        assertThat(attrs.get("SentTimestamp").asText()).matches("\\d{13}");
        assertThat(attrs.get("ApproximateFirstReceiveTimestamp").asText()).matches("\\d{13}");
        assertThat(attrs.has("SenderId")).isTrue();
        JsonNode a = r.at("/messageAttributes/photopipe-reason");
        assertThat(a.get("stringValue").asText()).isEqualTo("why");
        assertThat(a.get("dataType").asText()).isEqualTo("String");
        assertThat(a.get("stringListValues").isArray()).isTrue();
        assertThat(a.get("binaryListValues").isArray()).isTrue();
    }

    // Scaling: starts small, grows while there is a backlog up to MaximumConcurrency, shrinks when idle
    // (https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-scaling.html)
    @Test
    void pollersGrowUnderBacklogUpToMaximumConcurrencyAndShrinkWhenIdle() {
        QueuePair q = queues(server, "scaling", 5, 30);
        send(sqs, q.queueUrl(), Collections.nCopies(60, "sleep:150").toArray(String[]::new));
        EsmConfig c = new EsmConfig("script", q.queueUrl(), q.queueArn(), 1, 0, 4, true, List.of(),
                EsmFixture.fastScaling(1));
        EventSourceMapping esm = EventSourceMapping.start(sqs, lambda, c);
        try (esm) {
            assertThat(esm.stats().pollers()).isEqualTo(1);
            await().atMost(WAIT).until(() -> esm.stats().maxInFlight() == 4);
            await().atMost(WAIT).until(() -> depth(sqs, q.queueUrl()) == 0);
            await().atMost(WAIT).until(() -> esm.stats().pollers() == 1);
            assertThat(esm.stats().maxPollers()).isEqualTo(4);
            assertThat(esm.stats().deleted()).isEqualTo(60);
        }
    }
}
