package io.photopipe.loadtest.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./photopipe chaos} end to end, small and fast: a dozen objects (good, bad, awkward) through a local stack in
 * a child JVM with an SQS outage (the first uploads wait in the outbox) and SIGKILLs of idle worker environments; the
 * ledger accounts for every object, the reports are written, and the exit code says whether anything was lost. (The stack's SIGTERM and restart under
 * load is {@code CleanShutdownTest}'s; full runs are {@code ./photopipe chaos}.)
 */
class ChaosSmokeTest {
    @TempDir
    Path out;

    @Test
    void aSmallRunAccountsForEveryObjectAndWritesItsReports() throws Exception {
        // Fast and deterministic: the outage comes before the first upload and the SIGKILLs hit idle environments,
        // so no batch is caught (a caught one comes back after its visibility timeout: the harsh runs' business).
        // A 15 s function timeout allows a 90 s visibility timeout (AWS's 6x rule), not the defaults' 370 s.
        Path settings = Files.writeString(out.resolve("smoke-settings.json"),
                "{\"worker\": {\"timeoutSeconds\": 15, \"batchSize\": 5, \"batchingWindowSeconds\": 0},"
                        + " \"queue\": {\"visibilityTimeoutSeconds\": 90, \"maxReceiveCount\": 5}}");
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        int exit = ChaosCommand.commandLine(new ChaosCommand(new PrintStream(stdout, true, StandardCharsets.UTF_8)))
                .execute("--objects", "14", "--seed", "7", "--tiny-presets", "--max-concurrency", "2",
                        "--settings", settings.toString(), "--s3-faults", "latency=30ms@0.2", "--kill-every", "4s",
                        "--kill-target", "idle", "--sqs-outage", "3s", "--sqs-outage-at", "0", "--no-sigterm",
                        "--no-sigkill", "--steady-rate", "2", "--burst", "0.2",
                        "--storm-tail", "2s", "--settle-timeout", "4m", "--max-duration", "6m", "--poll-interval", "1s",
                        "--out", out.toString());
        String printed = stdout.toString(StandardCharsets.UTF_8);
        System.out.println(printed);
        assertThat(exit).as(printed).isZero();
        assertThat(printed).contains("ledger: 14 objects uploaded (0 not)", "LOST 0", "report: ");

        JsonNode report = new ObjectMapper().readTree(out.resolve("chaos.json").toFile());
        assertThat(report.at("/totals/uploaded").asInt()).isEqualTo(14);
        assertThat(report.at("/totals/lost").asInt()).isZero();
        assertThat(report.at("/totals/ready").asInt() + report.at("/totals/failed").asInt()).isEqualTo(14);
        // the bad files end FAILED with the worker's reasons, never LOST
        assertThat(report.at("/byKind/bad/FAILED").asInt()).isEqualTo(4);
        assertThat(report.at("/failedByReason")).hasSizeGreaterThanOrEqualTo(3);
        List<String> events = new ArrayList<>();
        report.get("events").forEach(e -> events.add(e.get("kind").asText()));
        assertThat(events).contains("sqs-outage", "sqs-back", "burst", "settled", "env-kill")
                .doesNotContain("sigterm", "sigkill");
        assertThat(report.at("/stackLog/badLines").asInt()).isZero();
        assertThat(report.at("/dlq/withoutReason").asInt()).isZero();

        report.get("events").forEach(e -> System.out.printf("%6.1f s %s %s%n", e.get("t").asDouble(),
                e.get("kind").asText(), e.get("detail").asText()));
        String html = Files.readString(out.resolve("chaos.html"));
        assertThat(html).contains("<svg", "0 LOST", "Ledger", "FAILED by reason", "sqs-outage");
    }
}
