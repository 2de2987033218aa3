package io.photopipe.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import io.photopipe.local.stack.LocalOptions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A short run of each scenario on one local stack (the real worker and API in child JVMs with the Lambda runtime
 * client), with a few users, small photos and one tiny rendition: each must pass its own assertions and checks and
 * write both reports. Speed is not asserted here (the machine is shared); the full runs are {@code ./photopipe
 * loadtest}. backfill-drain runs first, while the worker is still held, so its backlog appears at once.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LoadTestSmokeTest {
    private static Path root;
    private static LocalTarget target;

    @BeforeAll
    static void startStack() {
        root = LocalOptions.findProjectRoot(Path.of(""));
        target = LocalTarget.start(root, LoadTestRunner.settingsFor(options(Scenario.UPLOAD_BURST)), new int[] {0, 0, 0},
                options(Scenario.UPLOAD_BURST).localRamp());
    }

    @AfterAll
    static void stopStack() {
        if (target != null) {
            target.close();
        }
    }

    static LoadTestOptions options(Scenario s) {
        return new LoadTestOptions(s, 3, Duration.ofSeconds(2), Profile.SPIKE, s == Scenario.MIXED ? 1 : 0,
                Duration.ofSeconds(120), Duration.ofSeconds(1), Duration.ofSeconds(120), null, "320x240",
                s == Scenario.POISON_SHARE ? 34 : 0, 12, 4, 3, 4, true,
                new LoadTestOptions.Ramp(2, 2, Duration.ofSeconds(5)), null, null,
                root.resolve("loadtest/target/smoke-reports"), null, 1000, null, null, null, 3);
    }

    private static RunResult run(Scenario s) throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        RunResult r = LoadTestRunner.runOn(target, options(s), root, new PrintStream(log, true, StandardCharsets.UTF_8));
        String out = log.toString(StandardCharsets.UTF_8);
        System.out.println(out);
        assertThat(r.passed()).as(out).isTrue();
        assertThat(r.exitCode()).isZero();
        assertThat(out).contains("verdict: PASSED", "scaling report: ", "Gatling report: ");
        Path html = r.gatlingDir().resolve("scaling.html");
        assertThat(r.gatlingDir().resolve("index.html")).isRegularFile();
        String page = Files.readString(html);
        assertThat(page).contains("<svg", "PASSED", "per million photos", "MaximumConcurrency 1000")
                .doesNotContain("<script", "src=\"http");
        assertThat(r.samples()).isNotEmpty();
        return r;
    }

    @Test
    @Order(1)
    void backfillDrainEmptiesTheBacklogAndChecksTheModel() throws Exception {
        RunResult r = run(Scenario.BACKFILL_DRAIN);
        assertThat(r.drain()).isNotNull();
        assertThat(r.drain().photos()).isEqualTo(12);
        assertThat(r.drain().seconds()).isPositive();
        assertThat(r.localModel()).isNotNull();
        assertThat(r.e2e()).hasSize(3).allMatch(e -> e.outcome().equals("ready"));
        assertThat(Files.readString(r.gatlingDir().resolve("scaling.html")))
                .contains("Backlog drained: measured and modelled", "the measured drain took");
    }

    @Test
    @Order(2)
    void uploadBurstEveryPhotoReady() throws Exception {
        RunResult r = run(Scenario.UPLOAD_BURST);
        assertThat(r.e2e()).hasSize(3).allMatch(e -> e.outcome().equals("ready") && !e.id().isEmpty());
        assertThat(r.usage()).isNotNull();
        assertThat(r.usage().photos()).isEqualTo(3);
        assertThat(r.bill().usdPerMillion()).isPositive();
    }

    @Test
    @Order(3)
    void poisonShareCorruptPhotosEndInTheDlqWithReasons() throws Exception {
        RunResult r = run(Scenario.POISON_SHARE);
        List<E2eRecorder.Entry> failed = r.e2e().stream().filter(e -> e.expected().equals("failed")).toList();
        assertThat(failed).hasSize(1).allMatch(e -> e.outcome().equals("failed"));
        assertThat(r.checks()).extracting(Check::name)
                .contains("the DLQ holds exactly the corrupt photos, each with a reason", "every good photo ready");
    }

    @Test
    @Order(4)
    void mixedComparesLatencyWithAndWithoutTheBackfill() throws Exception {
        RunResult r = run(Scenario.MIXED);
        assertThat(r.e2e()).extracting(E2eRecorder.Entry::group).contains("upload-to-ready-alone",
                "upload-to-ready-during-backfill");
        assertThat(r.checks()).extracting(Check::name)
                .containsExactly("live uploads keep their latency while a backfill runs");
    }
}
