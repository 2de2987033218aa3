package io.photopipe.loadtest.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.photopipe.loadtest.Check;
import io.photopipe.loadtest.E2eRecorder;
import io.photopipe.loadtest.LoadTestOptions;
import io.photopipe.loadtest.RunResult;
import io.photopipe.loadtest.Sample;
import io.photopipe.loadtest.Scenario;
import io.photopipe.loadtest.model.CostModel;
import io.photopipe.loadtest.model.Prices;
import io.photopipe.loadtest.model.ScalingModel;
import io.photopipe.loadtest.model.Usage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScalingReportTest {

    private static RunResult result(int gatlingStatus, List<Check> checks) {
        List<Sample> samples = new ArrayList<>();
        for (int t = 0; t <= 30; t++) {
            long done = Math.min(60, Math.max(0, (t - 5) * 3L));
            samples.add(new Sample(t * 1000L, Math.max(0, 60 - done - 10), Math.min(10, 60 - done), 0, t * 200L,
                    Math.min(4, t / 3), Math.min(4, t / 4), Math.min(6, 2 + t / 5), done / 10, Math.min(4, t / 3),
                    done / 10, done, 900, 1500, 2500));
        }
        Instant start = Instant.parse("2026-11-26T12:00:00Z");
        List<E2eRecorder.Entry> e2e = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            long s = start.toEpochMilli() + i * 1000L;
            e2e.add(new E2eRecorder.Entry("id" + i, "backfill-to-ready", s, s + 4000 + i * 300L, "ready", "ready"));
        }
        LoadTestOptions o = LoadTestOptions.defaults(Scenario.BACKFILL_DRAIN);
        Usage usage = new Usage(60, 6, 54, 10, 2048, "arm64", 200, 600, 120, 0);
        return new RunResult("backfill-drain-test", start, o, "local stack", "3 photos", Path.of("."), gatlingStatus,
                samples, e2e, checks, new RunResult.Drain(60, 5000, 26000, 300), usage,
                CostModel.perMillion(usage, Prices.defaults()),
                new ScalingModel(2, 2, Duration.ofSeconds(10), 10, 0.9, 2.5), 2048, "arm64", 10, 10);
    }

    @Test
    void aSelfContainedPageWithChartsCostScalingAndTheVerdict(@TempDir Path dir) throws Exception {
        Path file = ScalingReport.write(result(0, List.of(new Check("the whole backlog drained", true, "60 photos"))),
                dir.resolve("scaling.html"));
        String html = Files.readString(file);
        assertThat(html).startsWith("<!doctype html>")
                .contains("PASSED", "Upload queue", "Age of the oldest message", "Worker concurrency",
                        "Invocations and cold starts", "Throughput", "End-to-end latency",
                        "Backlog drained: measured and modelled", "Cost on AWS", "per million photos",
                        "us-east-1", "2025-11", "Scale beyond this machine", "MaximumConcurrency 10",
                        "MaximumConcurrency 1000", "100,000,000 photos", "services-sqs-scaling.html",
                        "The model checked against this run", "the measured drain took")
                .doesNotContain("<script", "src=\"http", "<link");
        assertThat(html.split("<svg", -1).length - 1).isGreaterThanOrEqualTo(7);
    }

    @Test
    void aFailedCheckOrAssertionFailsTheVerdict(@TempDir Path dir) throws Exception {
        assertThat(result(0, List.of(new Check("c", false, "x"))).exitCode()).isEqualTo(1);
        RunResult r = result(2, List.of());
        assertThat(r.passed()).isFalse();
        String html = Files.readString(ScalingReport.write(r, dir.resolve("scaling.html")));
        assertThat(html).contains("verdict ko\">FAILED");
    }

    @Test
    void headlineFigures() {
        Figures f = Figures.of(result(0, List.of()));
        assertThat(f.photosCompleted()).isEqualTo(60);
        assertThat(f.peakPerSec()).isEqualTo(3.0);
        assertThat(f.maxBusy()).isEqualTo(4);
        assertThat(f.maxPollers()).isEqualTo(6);
        assertThat(f.e2e().get("backfill-to-ready")[0]).isEqualTo(10);
        assertThat(f.e2e().get("backfill-to-ready")[3]).isEqualTo(4000 + 9 * 300);
    }
}
