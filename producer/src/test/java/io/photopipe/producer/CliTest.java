package io.photopipe.producer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;

/** The CLI as scripts see it: exit codes, --json output, --help everywhere, status --wait-empty. */
class CliTest {
    Stack stack = Stack.get();

    @TempDir
    Path dir;

    @Test
    void everyCommandHasHelpAndTheExitCodesAreDocumented() {
        for (List<String> cmd : List.<List<String>>of(List.of(), List.of("backfill"), List.of("burst"), List.of("dlq"),
                List.of("dlq", "list"), List.of("dlq", "show"), List.of("dlq", "purge"), List.of("redrive"),
                List.of("status"), List.of("bench-enqueue"))) {
            String[] args = java.util.stream.Stream.concat(cmd.stream(), java.util.stream.Stream.of("--help"))
                    .toArray(String[]::new);
            Cli.Result r = Cli.run(args);
            assertThat(r.exitCode()).as(String.join(" ", args)).isZero();
            assertThat(r.out()).as(String.join(" ", args)).contains("Usage:");
        }
        assertThat(Cli.run("--help").out()).contains("Exit codes:").contains("130").contains("partial failure");
    }

    @Test
    void badUsageIsExitCode2WithAMessageNamingTheProblem() {
        Cli.Result bad = Cli.run("backfill", "--max-in-flight", "zero");
        assertThat(bad.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(bad.err()).contains("--max-in-flight");

        Cli.Result size = Cli.run("backfill", "--min-size", "lots");
        assertThat(size.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(size.err()).contains("not a size");

        Cli.Result noCheckpoint = Cli.run("backfill", "--bucket", stack.bucket("nocp"), "--queue",
                stack.sqsServer.createQueue(Stack.unique("q"), Map.of()), "--resume", "--checkpoint",
                dir.resolve("missing.json").toString());
        assertThat(noCheckpoint.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(noCheckpoint.err()).contains("no checkpoint at");

        Cli.Result settings = Cli.run("status", "--settings", write("{\"queue\":{\"maxReceiveCount\":0}}"));
        assertThat(settings.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(settings.err()).contains("queue.maxReceiveCount");
        Cli.Result noFile = Cli.run("status", "--settings", dir.resolve("nope.json").toString());
        assertThat(noFile.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(noFile.err()).contains("nope.json");
    }

    @Test
    void aMissingQueueIsExitCode3() {
        Cli.Result r = Cli.run("status", "--queue", "no-such-queue");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.AWS);
        assertThat(r.err()).contains("queue 'no-such-queue' does not exist");
    }

    @Test
    void backfillPrintsJsonAndRefusesToOverwriteAnUnfinishedCheckpoint() throws Exception {
        String bucket = stack.bucket("clibackfill");
        List<String> keys = IntStream.range(0, 45).mapToObj(i -> "uploads/p" + i + ".jpg").toList();
        stack.put(bucket, keys, k -> "x");
        String queue = Stack.unique("cliq");
        stack.sqsServer.createQueue(queue, Map.of());
        Path cp = dir.resolve("cp.json");

        Cli.Result dry = Cli.run("backfill", "--bucket", bucket, "--queue", queue, "--dry-run", "--show", "3");
        assertThat(dry.exitCode()).isZero();
        assertThat(dry.out()).contains("matched 45").contains("uploads/p0.jpg");

        Cli.Result r = Cli.run("backfill", "--bucket", bucket, "--queue", queue, "--checkpoint", cp.toString(),
                "--rate", "1000/s", "--json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode s = r.json();
        assertThat(s.path("state").asText()).isEqualTo("finished");
        assertThat(s.path("sent").asLong()).isEqualTo(45);
        assertThat(s.path("batches").asLong()).isEqualTo(5);
        assertThat(Stack.keys(stack.drain(stack.sqs().getQueueUrl(b -> b.queueName(queue)).queueUrl())))
                .containsExactlyInAnyOrderElementsOf(keys);

        // a finished checkpoint: --resume has nothing to do
        assertThat(Cli.run("backfill", "--bucket", bucket, "--queue", queue, "--checkpoint", cp.toString(),
                "--resume").exitCode()).isZero();
        // an unfinished one: a fresh run must not silently start over
        Checkpoint c = Checkpoint.read(cp);
        new Checkpoint(1, c.source(), c.queueUrl(), "uploads/p3.jpg", List.of(), 10, 0, List.of(), false, null)
                .write(cp, false);
        Cli.Result again = Cli.run("backfill", "--bucket", bucket, "--queue", queue, "--checkpoint", cp.toString());
        assertThat(again.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(again.err()).contains("--resume").contains("--restart");
        Cli.Result resumed = Cli.run("backfill", "--bucket", bucket, "--queue", queue, "--checkpoint", cp.toString(),
                "--resume", "--json");
        assertThat(resumed.exitCode()).isZero();
        assertThat(resumed.json().path("sent").asLong()).isEqualTo(keys.stream()
                .filter(k -> KeySource.compareCursors(k, "uploads/p3.jpg") > 0).count());
        assertThat(resumed.json().path("totalSent").asLong()).isEqualTo(10 + resumed.json().path("sent").asLong());
    }

    @Test
    void statusReportsDepthsAndWaitEmptyReturnsOnceConsumersDrainedTheQueue() throws Exception {
        String name = Stack.unique("status");
        var pair = stack.sqsServer.createQueueWithDlq(name, name + "-dlq", 3, 30);
        for (int i = 0; i < 30; i++) {
            int n = i;
            stack.sqs().sendMessage(r -> r.queueUrl(pair.queueUrl()).messageBody("m" + n));
        }
        stack.sqs().sendMessage(r -> r.queueUrl(pair.dlqUrl()).messageBody("failed"));

        Cli.Result s = Cli.run("status", "--queue", name, "--json");
        assertThat(s.exitCode()).as(s.err()).isZero();
        assertThat(s.json().path("visible").asLong()).isEqualTo(30);
        assertThat(s.json().path("dlq").asText()).isEqualTo(name + "-dlq"); // found through the RedrivePolicy
        assertThat(s.json().path("dlqVisible").asLong()).isEqualTo(1);
        assertThat(s.json().has("dlqOldestAgeSeconds")).isTrue();

        Cli.Result watch = Cli.run("status", "--queue", name, "--watch", "--interval", "100ms", "--iterations", "3");
        assertThat(watch.exitCode()).isZero();
        assertThat(watch.out().lines()).hasSize(3).allMatch(l -> l.contains("30 waiting") && l.contains("DLQ " + name));

        Cli.Result timeout = Cli.run("status", "--queue", name, "--wait-empty", "--timeout", "1s", "--interval",
                "200ms", "--json");
        assertThat(timeout.exitCode()).isEqualTo(ExitCodes.TIMEOUT);

        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<Cli.Result> waiting = pool.submit(() -> Cli.run("status", "--queue", name, "--wait-empty",
                    "--timeout", "60s", "--interval", "200ms", "--json"));
            // a consumer: receive and delete everything, after status has started waiting
            int deleted = 0;
            while (deleted < 30) {
                var ms = stack.sqs().receiveMessage(r -> r.queueUrl(pair.queueUrl()).maxNumberOfMessages(10)
                        .waitTimeSeconds(1)).messages();
                if (!ms.isEmpty()) {
                    stack.sqs().deleteMessageBatch(r -> r.queueUrl(pair.queueUrl()).entries(ms.stream()
                            .map(m -> DeleteMessageBatchRequestEntry.builder().id(m.messageId().replaceAll("[^A-Za-z0-9_-]", ""))
                                    .receiptHandle(m.receiptHandle()).build()).toList()));
                    deleted += ms.size();
                }
            }
            Cli.Result done = waiting.get();
            assertThat(done.exitCode()).as(done.err()).isZero();
            assertThat(done.json().path("visible").asLong()).isZero();
            assertThat(done.json().path("inFlight").asLong()).isZero();
        }
    }

    private String write(String json) {
        try {
            Path p = dir.resolve("photopipe.json");
            Files.writeString(p, json);
            return p.toString();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
