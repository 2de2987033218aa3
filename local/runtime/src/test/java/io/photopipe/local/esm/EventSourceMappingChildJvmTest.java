package io.photopipe.local.esm;

import static io.photopipe.local.esm.EsmFixture.deliveredBodies;
import static io.photopipe.local.esm.EsmFixture.depth;
import static io.photopipe.local.esm.EsmFixture.drain;
import static io.photopipe.local.esm.EsmFixture.queues;
import static io.photopipe.local.esm.EsmFixture.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.photopipe.local.TestFunctions;
import io.photopipe.local.lambda.LambdaOptions;
import io.photopipe.local.lambda.LocalLambda;
import io.photopipe.local.servers.EmbeddedSqs;
import io.photopipe.local.servers.EmbeddedSqs.QueuePair;
import io.photopipe.local.testfn.SqsScriptHandler;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;

/** The mapping with the function in child JVMs running the real runtime interface client: no message is lost. */
class EventSourceMappingChildJvmTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    static EmbeddedSqs server;
    static SqsClient sqs;
    static LocalLambda lambda;

    @BeforeAll
    static void start() {
        server = EmbeddedSqs.start();
        sqs = server.client();
        lambda = LocalLambda.start(LambdaOptions.defaults().withLogDirectory(java.nio.file.Path.of("target", "lambda-logs", "esm-" + System.currentTimeMillis())));
        // one function per test, so no test meets another's environments; each queue's visibility timeout outlasts
        // its function's timeout, as AWS requires
        lambda.register(TestFunctions.function("ric", SqsScriptHandler.class, 20));
        lambda.register(TestFunctions.function("timeout", SqsScriptHandler.class, 3));
        lambda.register(TestFunctions.function("crash", SqsScriptHandler.class, 20));
        lambda.register(TestFunctions.function("memory", SqsScriptHandler.class, 256, 20, java.util.Map.of()));
    }

    @AfterAll
    static void stop() {
        lambda.close();
        server.close();
    }

    private static EventSourceMapping map(String function, QueuePair q, int batchSize) {
        return EventSourceMapping.start(sqs, lambda, new EsmConfig(function, q.queueUrl(), q.queueArn(), batchSize,
                0, 2, true, List.of(), EsmFixture.fastScaling(1)));
    }

    @Test
    void partialBatchResponsesRoundTripThroughTheRuntimeClient() {
        // a visibility timeout far above the invocation (cold start included), as AWS requires: a receipt handle
        // that expired before the delete would make the batch come back
        QueuePair q = queues(server, "ric", 1, 60);
        send(sqs, q.queueUrl(), "ok-1", "fail", "ok-2");
        try (EventSourceMapping esm = map("ric", q, 10)) {
            await().atMost(WAIT).untilAsserted(() -> assertThat(esm.stats().deleted())
                    .as("%s; %s", esm.stats(), lambda.stats().function("ric")).isEqualTo(2));
            assertThat(esm.stats().returned()).isEqualTo(1);
            assertThat(esm.stats().deleteFailures()).isZero();
            // the reported failure stays on the queue (in flight until its visibility timeout ends)
            assertThat(depth(sqs, q.queueUrl())).isEqualTo(1);
        }
        assertThat(deliveredBodies(q)).containsExactlyInAnyOrder("ok-1", "fail", "ok-2");
    }

    @Test
    void aFunctionTimeoutLosesNoMessage() {
        QueuePair q = queues(server, "timeout", 2, 5);
        send(sqs, q.queueUrl(), "sleep:30000");
        try (EventSourceMapping esm = map("timeout", q, 1)) {
            // killed at 3 s, back after the visibility timeout, killed again, then moved to the DLQ by the queue
            await().atMost(WAIT).until(() -> depth(sqs, q.dlqUrl()) == 1);
            assertThat(esm.stats().deleted()).isZero();
            send(sqs, q.queueUrl(), "ok-after");
            await().atMost(WAIT).until(() -> esm.stats().deleted() == 1);
        }
        assertThat(drain(sqs, q.dlqUrl())).containsExactly("sleep:30000");
        assertThat(lambda.stats().function("timeout").timeouts()).isGreaterThanOrEqualTo(2);
        assertThat(deliveredBodies(q)).contains("ok-after");
    }

    @Test
    void anEnvironmentKilledForItsMemoryLosesNoMessage() {
        QueuePair q = queues(server, "memory", 2, 3);
        send(sqs, q.queueUrl(), "native:400");
        try (EventSourceMapping esm = map("memory", q, 1)) {
            // killed above 256 MB, back after the visibility timeout, killed again, then to the DLQ by the queue
            await().atMost(WAIT).until(() -> depth(sqs, q.dlqUrl()) == 1);
            assertThat(esm.stats().deleted()).isZero();
        }
        assertThat(drain(sqs, q.dlqUrl())).containsExactly("native:400");
        assertThat(lambda.stats().function("memory").outOfMemory()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void aCrashingEnvironmentLosesNoMessage() {
        QueuePair q = queues(server, "crash", 2, 3);
        send(sqs, q.queueUrl(), "exit:1");
        try (EventSourceMapping esm = map("crash", q, 1)) {
            await().atMost(WAIT).until(() -> depth(sqs, q.dlqUrl()) == 1);
            assertThat(esm.stats().invokeErrors()).isGreaterThanOrEqualTo(2);
            assertThat(esm.stats().deleted()).isZero();
        }
        assertThat(drain(sqs, q.dlqUrl())).containsExactly("exit:1");
        assertThat(lambda.stats().function("crash").crashes()).isGreaterThanOrEqualTo(2);
    }
}
