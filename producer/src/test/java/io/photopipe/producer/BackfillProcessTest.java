package io.photopipe.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.photopipe.local.servers.LocalCredentials;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real thing: the CLI in a child JVM, configured only through the standard AWS_ENDPOINT_URL_* variables, stopped
 * by a signal (SIGTERM, as Ctrl-C's SIGINT: the JVM runs the same shutdown hook) or killed with SIGKILL mid-run;
 * {@code --resume} then finishes the job.
 */
class BackfillProcessTest {
    static final int OBJECTS = 3000;
    static Stack stack;
    static String bucket;
    static List<String> keys;

    @TempDir
    Path dir;

    @BeforeAll
    static void library() throws Exception {
        stack = Stack.get();
        bucket = Stack.library().bucket();
        keys = Stack.library().keys();
    }

    Process start(String queue, Path checkpoint, String... extra) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), ProducerCli.class.getName(), "backfill",
                "--bucket", bucket, "--queue", queue, "--checkpoint", checkpoint.toString(), "--json"));
        cmd.addAll(List.of(extra));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(dir.resolve("stderr-" + System.nanoTime()).toFile())
                .redirectOutput(ProcessBuilder.Redirect.PIPE);
        Map<String, String> env = pb.environment();
        env.put("AWS_ENDPOINT_URL_S3", stack.s3Server.endpoint().toString());
        env.put("AWS_ENDPOINT_URL_SQS", stack.sqsServer.endpoint().toString());
        env.put("AWS_ACCESS_KEY_ID", LocalCredentials.ACCESS_KEY_ID);
        env.put("AWS_SECRET_ACCESS_KEY", LocalCredentials.SECRET_ACCESS_KEY);
        env.put("AWS_REGION", LocalCredentials.REGION);
        return pb.start();
    }

    void awaitProgress(Path checkpoint) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> Files.exists(checkpoint)
                && Checkpoint.read(checkpoint).sent() >= 300);
    }

    @Test
    void aSignalSavesTheCheckpointAndResumeSendsTheRestExactlyOnce() throws Exception {
        String queue = Stack.unique("sigterm");
        String url = stack.sqsServer.createQueue(queue, Map.of());
        Path cp = dir.resolve("cp.json");
        Process p = start(queue, cp, "--rate", "400/s", "--max-in-flight", "8");
        awaitProgress(cp);

        p.destroy(); // SIGTERM
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(143); // 128 + SIGTERM (130 for Ctrl-C's SIGINT)
        Checkpoint saved = Checkpoint.read(cp);
        assertThat(saved.finished()).isFalse();
        assertThat(saved.sent()).isLessThan(OBJECTS);

        Process resume = start(queue, cp, "--resume");
        assertThat(resume.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String out = new String(resume.getInputStream().readAllBytes());
        assertThat(resume.exitValue()).as(out).isZero();
        assertThat(out).contains("\"state\":\"finished\"");

        List<String> got = Stack.keys(stack.drain(url));
        assertThat(got).hasSize(OBJECTS).containsExactlyInAnyOrderElementsOf(keys);
    }

    @Test
    void afterSigkillResumeMissesNothingAndResendsAtMostTheBatchInFlight() throws Exception {
        String queue = Stack.unique("sigkill");
        String url = stack.sqsServer.createQueue(queue, Map.of());
        Path cp = dir.resolve("cp.json");
        Process p = start(queue, cp, "--rate", "400/s", "--max-in-flight", "1");
        awaitProgress(cp);

        p.destroyForcibly(); // SIGKILL: no hook, no goodbye
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        Process resume = start(queue, cp, "--resume");
        assertThat(resume.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(resume.exitValue()).isZero();

        List<String> got = Stack.keys(stack.drain(url));
        assertThat(new HashSet<>(got)).containsExactlyInAnyOrderElementsOf(keys);
        long duplicates = got.stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting()))
                .values().stream().filter(n -> n > 1).count();
        assertThat(duplicates).isLessThanOrEqualTo(10);
    }
}
