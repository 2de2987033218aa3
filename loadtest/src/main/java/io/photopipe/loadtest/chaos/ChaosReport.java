package io.photopipe.loadtest.chaos;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.photopipe.core.PipelineSettings;
import io.photopipe.loadtest.Durations;
import io.photopipe.loadtest.report.Html;
import io.photopipe.loadtest.report.ScalingReport;
import io.photopipe.loadtest.report.SvgChart;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;

/** {@code chaos.json} and {@code chaos.html} of a run, and the summary the command prints. */
final class ChaosReport {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** What the stack's log must never hold (the unclean shutdown of issue 10). */
    static final List<String> BAD_LOG_LINES = List.of("Database is already closed",
            "Failed to notify queue event listener", "The state may be inconsistent");
    private static final int BIN_SECONDS = 10;

    /**
     * What the command needs to know.
     *
     * @param lost    objects LOST
     * @param json    the report's JSON file
     * @param html    the report's page
     * @param summary lines to print
     */
    record Result(long lost, Path json, Path html, List<String> summary) {
    }

    private ChaosReport() {
    }

    static Result write(String name, ChaosOptions o, PipelineSettings settings, Timeline timeline,
                        Ledger.Result ledger, WorkerLogs logs, List<String> notUploaded, String settleNote,
                        String loadBefore, Path stackLog) throws IOException {
        Instant end = Instant.now();
        String loadAfter = loadAverage();
        long ready = ledger.count("READY");
        long failed = ledger.count("FAILED");
        long lost = ledger.count("LOST");
        Map<String, Integer> failedBy = countBy(ledger, "FAILED");
        Map<String, Integer> lostBy = countBy(ledger, "LOST");
        Map<String, Map<String, Integer>> byKind = new TreeMap<>();
        ledger.entries().forEach(e -> byKind.computeIfAbsent(e.kind(), k -> new TreeMap<>()).merge(e.state(), 1,
                Integer::sum));
        List<WorkerLogs.DoubleRender> doubles = logs.doubleRenders();
        int afterReady = doubles.stream().mapToInt(WorkerLogs.DoubleRender::afterReady).sum();
        int overlapping = doubles.stream().mapToInt(WorkerLogs.DoubleRender::overlapping).sum();
        Map<String, Long> outcomes = logs.byReason();
        Map<String, Long> retried = new LinkedHashMap<>();
        outcomes.forEach((k, v) -> {
            if (k.startsWith("retried/")) {
                retried.put(k.substring(8), v);
            }
        });
        List<String> badLines = badLines(stackLog);

        ObjectNode root = JSON.createObjectNode();
        root.put("command", command(o));
        root.put("date", timeline.start().truncatedTo(ChronoUnit.SECONDS).toString());
        root.put("durationSeconds", Duration.between(timeline.start(), end).toSeconds());
        root.put("cores", Runtime.getRuntime().availableProcessors());
        root.putObject("loadAverage").put("before", loadBefore).put("after", loadAfter);
        root.put("settling", settleNote);
        ObjectNode opts = root.putObject("options");
        opts.put("objects", o.objects()).put("seed", o.seed()).put("s3Faults", o.s3Faults())
                .put("killEvery", o.killEveryMin() == null ? "never" : Durations.format(o.killEveryMin()) + "-"
                        + Durations.format(o.killEveryMax()))
                .put("killTarget", o.killTarget().name()).put("sqsOutage", Durations.format(o.sqsOutage()))
                .put("sqsOutageAt", o.outageAt()).put("sigterm", o.sigterm())
                .put("sigkill", o.sigkill()).put("burst", o.burstFraction()).put("steadyRate", o.steadyRate())
                .put("workerMemoryMb", settings.worker().memoryMb()).put("maxConcurrency",
                        settings.worker().maxConcurrency()).put("presets", settings.renditions().size());
        ObjectNode totals = root.putObject("totals");
        totals.put("objects", o.objects()).put("uploaded", ledger.entries().size())
                .put("notUploaded", notUploaded.size()).put("ready", ready).put("failed", failed).put("lost", lost);
        root.set("failedByReason", JSON.valueToTree(failedBy));
        root.set("lostByReason", JSON.valueToTree(lostBy));
        root.set("byKind", JSON.valueToTree(byKind));
        root.set("dlq", JSON.valueToTree(ledger.dlq()));
        ObjectNode dr = root.putObject("doubleRenders");
        dr.put("objects", doubles.size()).put("afterReady", afterReady).put("overlapping", overlapping);
        dr.set("examples", JSON.valueToTree(doubles.stream().limit(20).toList()));
        root.set("retriedByReason", JSON.valueToTree(retried));
        root.set("outcomes", JSON.valueToTree(outcomes));
        root.putObject("environments").put("reports", logs.reports()).put("outOfMemoryKills", logs.outOfMemory())
                .put("timeouts", logs.timeouts()).put("runtimeExits", logs.exits())
                .put("maxMemoryUsedMb", logs.maxMemoryUsedMb());
        root.putObject("stackLog").put("badLines", badLines.size()).set("examples",
                JSON.valueToTree(badLines.stream().limit(10).toList()));
        root.set("events", JSON.valueToTree(timeline.events()));
        root.set("notUploaded", JSON.valueToTree(notUploaded));
        ArrayNode objects = root.putArray("objects");
        ledger.entries().forEach(e -> objects.add(JSON.valueToTree(e)));

        Path json = o.out().resolve(name + ".json");
        JSON.writeValue(json.toFile(), root);
        Path html = o.out().resolve(name + ".html");
        Files.writeString(html, html(o, timeline, ledger, logs, root, failedBy, lostBy, retried, badLines, end),
                StandardCharsets.UTF_8);

        List<String> summary = new ArrayList<>();
        summary.add(String.format("ledger: %d objects uploaded (%d not): READY %d, FAILED %d, LOST %d", ledger.entries()
                .size(), notUploaded.size(), ready, failed, lost));
        summary.add("FAILED by reason: " + (failedBy.isEmpty() ? "none" : failedBy));
        summary.add("LOST by reason: " + (lostBy.isEmpty() ? "none" : lostBy));
        Ledger.DlqSummary d = ledger.dlq();
        summary.add(String.format("DLQ: %d messages (%d with a reason, %d without), %d duplicate copies", d.messages(),
                d.withReason(), d.withoutReason(), d.duplicateCopies()));
        summary.add(String.format("double renders: %d after READY, %d overlapping (%d objects)", afterReady,
                overlapping, doubles.size()));
        summary.add("retried outcomes by reason (the breaker's among them): " + (retried.isEmpty() ? "none" : retried));
        summary.add(String.format("environments: %d invocations, %d OOM kills, %d timeouts, %d runtime exits, max "
                + "memory used %d MB", logs.reports(), logs.outOfMemory(), logs.timeouts(), logs.exits(),
                logs.maxMemoryUsedMb()));
        summary.add("stack log: " + (badLines.isEmpty() ? "clean" : badLines.size() + " bad line(s), e.g. "
                + badLines.getFirst()));
        summary.add(settleNote + "; run " + Durations.format(Duration.between(timeline.start(), end))
                + ", load average before " + loadBefore + ", after " + loadAfter);
        return new Result(lost, json, html, summary);
    }

    private static Map<String, Integer> countBy(Ledger.Result ledger, String state) {
        Map<String, Integer> m = new TreeMap<>();
        ledger.entries().stream().filter(e -> e.state().equals(state))
                .forEach(e -> m.merge(e.reason() == null ? "(none)" : e.reason(), 1, Integer::sum));
        return m;
    }

    private static List<String> badLines(Path log) throws IOException {
        if (!Files.exists(log)) {
            return List.of();
        }
        return Files.readAllLines(log, StandardCharsets.UTF_8).stream()
                .filter(l -> BAD_LOG_LINES.stream().anyMatch(l::contains)).toList();
    }

    static String loadAverage() {
        try {
            String[] p = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return p[0] + " " + p[1] + " " + p[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    static String command(ChaosOptions o) {
        StringBuilder c = new StringBuilder("./photopipe chaos --objects ").append(o.objects()).append(" --seed ")
                .append(o.seed()).append(" --s3-faults '").append(o.s3Faults()).append("' --kill-every ")
                .append(o.killEveryMin() == null ? "0" : o.killEveryMin().toSeconds() + "s-"
                        + o.killEveryMax().toSeconds() + "s")
                .append(" --sqs-outage ").append(o.sqsOutage().toSeconds()).append('s');
        if (o.killTarget() != ChaosOptions.KillTarget.ANY) {
            c.append(" --kill-target ").append(o.killTarget());
        }
        if (o.outageAt() != 0.45) {
            c.append(" --sqs-outage-at ").append(o.outageAt());
        }
        if (!o.sigterm()) {
            c.append(" --no-sigterm");
        }
        if (!o.sigkill()) {
            c.append(" --no-sigkill");
        }
        if (o.maxConcurrency() != null) {
            c.append(" --max-concurrency ").append(o.maxConcurrency());
        }
        o.photoDirs().forEach(d -> c.append(" --photos ").append(d));
        return c.toString();
    }

    // ---- the page -----------------------------------------------------------------------------------------------

    private static String html(ChaosOptions o, Timeline timeline, Ledger.Result ledger, WorkerLogs logs,
                               ObjectNode root, Map<String, Integer> failedBy, Map<String, Integer> lostBy,
                               Map<String, Long> retried, List<String> badLines, Instant end) {
        long lost = ledger.count("LOST");
        StringBuilder b = new StringBuilder(64 * 1024);
        b.append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>photopipe chaos ")
                .append(Html.esc(root.path("date").asText())).append("</title><style>").append(ScalingReport.CSS)
                .append("</style></head><body>");
        b.append("<h1>photopipe chaos run</h1><p class=\"verdict ").append(lost == 0 ? "ok\">0 LOST" : "ko\">" + lost
                + " LOST").append("</p>");
        b.append("<p class=\"muted\"><code>").append(Html.esc(root.path("command").asText())).append("</code><br>")
                .append(Html.esc(root.path("date").asText())).append(", ").append(root.path("durationSeconds"))
                .append(" s, ").append(root.path("cores")).append(" cores, load average ")
                .append(Html.esc(root.path("loadAverage").path("before").asText())).append(" before, ")
                .append(Html.esc(root.path("loadAverage").path("after").asText())).append(" after; ")
                .append(Html.esc(root.path("settling").asText())).append("</p>");

        b.append("<h2>Ledger</h2><div class=\"cards\">");
        card(b, root.path("totals").path("uploaded").asText(), "objects S3 acknowledged");
        card(b, Long.toString(ledger.count("READY")), "READY: renditions present, source ETag matching");
        card(b, Long.toString(ledger.count("FAILED")), "FAILED with a reason");
        card(b, Long.toString(lost), "LOST");
        card(b, root.path("totals").path("notUploaded").asText(), "not acknowledged by S3 (not in the ledger)");
        b.append("</div>");
        table(b, "FAILED by reason", List.of("reason", "objects"), rows(failedBy));
        table(b, "LOST by what is missing", List.of("what", "objects"), rows(lostBy));
        List<List<String>> kinds = new ArrayList<>();
        root.path("byKind").properties().forEach(e -> kinds.add(List.of(e.getKey(),
                e.getValue().path("READY").asText("0"), e.getValue().path("FAILED").asText("0"),
                e.getValue().path("LOST").asText("0"))));
        table(b, "By kind of object", List.of("kind", "READY", "FAILED", "LOST"), kinds);
        if (lost > 0) {
            List<List<String>> lostRows = ledger.entries().stream().filter(e -> e.state().equals("LOST")).limit(200)
                    .map(e -> List.of(abbreviate(e.key()), e.kind(), e.reason(), e.detail() == null ? "" : e.detail()))
                    .toList();
            table(b, "LOST objects (first 200)", List.of("key", "kind", "missing", "detail"), lostRows);
        }

        b.append("<h2>Over time</h2>");
        double xMax = Math.max(1, timeline.at(end));
        List<Timeline.Sample> samples = timeline.samples();
        SvgChart queue = new SvgChart("Queue, in flight, DLQ and outbox", "messages").xMax(xMax)
                .add(SvgChart.Series.of("queued", "#2563eb", points(samples, Timeline.Sample::queued)))
                .add(SvgChart.Series.of("in flight", "#f59e0b", points(samples, Timeline.Sample::inFlight)))
                .add(SvgChart.Series.of("DLQ", "#dc2626", points(samples, Timeline.Sample::dlq)))
                .add(SvgChart.Series.of("outbox", "#7c3aed", points(samples, Timeline.Sample::outbox)));
        SvgChart outcomes = new SvgChart("Worker outcomes per " + BIN_SECONDS + " s", "messages").xMax(xMax);
        String[][] kinds2 = {{"done", "#16a34a"}, {"retried", "#f59e0b"}, {"circuit-open", "#dc2626"},
                {"s3-unavailable", "#2563eb"}, {"rejected", "#6b7280"}};
        for (String[] k : kinds2) {
            outcomes.add(SvgChart.Series.of(k[0], k[1], bins(timeline, logs, k[0])));
        }
        SvgChart envs = new SvgChart("Worker environments", "").xMax(xMax)
                .add(SvgChart.Series.of("alive", "#0891b2", points(samples, s -> s.environments())))
                .add(SvgChart.Series.of("busy", "#16a34a", points(samples, s -> s.busy())));
        for (SvgChart c : List.of(queue, outcomes, envs)) {
            for (Timeline.Event e : timeline.events()) {
                c.marker(marker(e));
            }
            b.append(c.render());
        }
        b.append("<p class=\"muted\">Dashed lines: the stack's SIGTERM and SIGKILL with their restarts, the SQS outage, "
                + "the upload burst; ticks on the x axis: worker environments SIGKILLed. Gaps: the stack was down.</p>");

        Ledger.DlqSummary d = ledger.dlq();
        table(b, "DLQ", List.of("messages", "with a reason", "without (moved by the queue)", "duplicate copies"),
                List.of(List.of(Integer.toString(d.messages()), Integer.toString(d.withReason()),
                        Integer.toString(d.withoutReason()), Integer.toString(d.duplicateCopies()))));
        table(b, "Retried outcomes by reason (the breaker: circuit-open against s3-unavailable)",
                List.of("reason", "outcomes"), rows(retried));
        b.append("<p class=\"muted\">Double renders: ").append(root.path("doubleRenders").path("afterReady"))
                .append(" after the object was READY, ").append(root.path("doubleRenders").path("overlapping"))
                .append(" overlapping another render of it. Environments: ").append(logs.reports())
                .append(" invocations, ").append(logs.outOfMemory()).append(" killed for memory, ")
                .append(logs.timeouts()).append(" timeouts, ").append(logs.exits()).append(" runtime exits, max ")
                .append(logs.maxMemoryUsedMb()).append(" MB used. Stack log: ")
                .append(badLines.isEmpty() ? "clean" : Html.esc(badLines.size() + " bad lines: " + badLines.getFirst()))
                .append(".</p>");
        List<List<String>> ev = timeline.events().stream().map(e -> List.of(String.format("%.1f s", e.t()), e.kind(),
                e.detail())).toList();
        table(b, "Events", List.of("at", "what", "detail"), ev);
        b.append("</body></html>");
        return b.toString();
    }

    private static SvgChart.Marker marker(Timeline.Event e) {
        return switch (e.kind()) {
            case "env-kill" -> new SvgChart.Marker(e.t(), null, "#dc2626");
            case "sigterm", "sigkill", "restart", "sqs-outage", "sqs-back", "burst", "uploads-done", "settled" ->
                    new SvgChart.Marker(e.t(), e.kind(), e.kind().startsWith("sig") ? "#dc2626"
                            : e.kind().startsWith("sqs") ? "#7c3aed" : "#374151");
            default -> new SvgChart.Marker(-1, null, "#000");
        };
    }

    private static List<double[]> points(List<Timeline.Sample> samples, ToDoubleFunction<Timeline.Sample> f) {
        List<double[]> pts = new ArrayList<>();
        double last = -10;
        for (Timeline.Sample s : samples) {
            if (s.t() - last > 6) {
                pts.add(new double[] {s.t() - 0.01, Double.NaN}); // a gap: the stack was down (or SQS: -1 values)
            }
            double v = f.applyAsDouble(s);
            pts.add(new double[] {s.t(), v < 0 ? Double.NaN : v});
            last = s.t();
        }
        return pts;
    }

    /** Outcomes per bin: {@code done}, {@code retried}, {@code rejected}, or a reason code. */
    private static List<double[]> bins(Timeline timeline, WorkerLogs logs, String what) {
        TreeMap<Long, Integer> counts = new TreeMap<>();
        for (WorkerLogs.Outcome o : logs.outcomes()) {
            if (o.outcome().equals(what) || o.reasonCode().equals(what)) {
                long bin = (long) Math.floor(timeline.at(o.time()) / BIN_SECONDS);
                counts.merge(bin, 1, Integer::sum);
            }
        }
        List<double[]> pts = new ArrayList<>();
        if (counts.isEmpty()) {
            return pts;
        }
        for (long bin = Math.max(0, counts.firstKey()); bin <= counts.lastKey(); bin++) {
            pts.add(new double[] {bin * BIN_SECONDS + BIN_SECONDS / 2.0, counts.getOrDefault(bin, 0)});
        }
        return pts;
    }

    /** A key shortened for a table cell (the whole key is in chaos.json). */
    private static String abbreviate(String key) {
        return key.length() <= 120 ? key : key.substring(0, 70) + " ... " + key.substring(key.length() - 40)
                + " (" + key.getBytes(StandardCharsets.UTF_8).length + " bytes)";
    }

    private static List<List<String>> rows(Map<String, ? extends Number> m) {
        return m.entrySet().stream().map(e -> List.of(e.getKey(), e.getValue().toString())).toList();
    }

    private static void card(StringBuilder b, String value, String label) {
        b.append("<div class=\"card\"><div class=\"v\">").append(Html.esc(value)).append("</div><div class=\"l\">")
                .append(Html.esc(label)).append("</div></div>");
    }

    private static void table(StringBuilder b, String title, List<String> head, List<List<String>> rows) {
        b.append("<h2>").append(Html.esc(title)).append("</h2>");
        if (rows.isEmpty()) {
            b.append("<p class=\"muted\">none</p>");
            return;
        }
        b.append("<table><tr>");
        head.forEach(h -> b.append("<th>").append(Html.esc(h)).append("</th>"));
        b.append("</tr>");
        for (List<String> r : rows) {
            b.append("<tr>");
            r.forEach(c -> b.append("<td>").append(Html.esc(c)).append("</td>"));
            b.append("</tr>");
        }
        b.append("</table>");
    }
}
