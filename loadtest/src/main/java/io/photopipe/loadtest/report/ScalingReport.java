package io.photopipe.loadtest.report;

import io.photopipe.loadtest.Check;
import io.photopipe.loadtest.Durations;
import io.photopipe.loadtest.E2eRecorder;
import io.photopipe.loadtest.LoadTestOptions;
import io.photopipe.loadtest.LoadTestRunner;
import io.photopipe.loadtest.RunResult;
import io.photopipe.loadtest.Sample;
import io.photopipe.loadtest.model.CostModel;
import io.photopipe.loadtest.model.Prices;
import io.photopipe.loadtest.model.ScalingModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * {@code scaling.html}: one self-contained page (inline CSS and SVG, no scripts) beside Gatling's report, with the
 * stack's metrics over time, the projected AWS cost, a model of scaling beyond this machine checked against the run,
 * and the verdict.
 */
public final class ScalingReport {
    private static final String BLUE = "#2563eb";
    private static final String ORANGE = "#ea580c";
    private static final String GREEN = "#16a34a";
    private static final String RED = "#dc2626";
    private static final String PURPLE = "#7c3aed";
    private static final String GREY = "#6b7280";

    /**
     * The cold start assumed on AWS for each environment a ramp step adds: a SnapStart restore of a Java function
     * takes well under a second, a plain Java init a few seconds; either only shifts each step that much.
     */
    static final double AWS_COLD_START_SECONDS = 1.0;

    private ScalingReport() {
    }

    /** Writes the page; returns its path. */
    public static Path write(RunResult r, Path file) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, html(r), StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    static String html(RunResult r) {
        Figures f = Figures.of(r);
        LoadTestOptions o = r.options();
        StringBuilder b = new StringBuilder();
        b.append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>photopipe load test ")
                .append(Html.esc(r.runId())).append("</title><style>").append(CSS).append("</style></head><body>");
        b.append("<h1>photopipe load test: ").append(Html.esc(o.scenario().cliName())).append("</h1>");
        b.append("<p class=\"verdict ").append(r.passed() ? "ok\">PASSED" : "ko\">FAILED").append("</p>");
        b.append("<p>Run <code>").append(Html.esc(r.runId())).append("</code>, started ")
                .append(Html.esc(r.startedAt().toString())).append(". Target: ").append(Html.esc(r.targetDescription()))
                .append(". Photos: ").append(Html.esc(r.photosDescription()))
                .append(". <a href=\"index.html\">Gatling's report</a> has every request's timings; the group ")
                .append("durations there are the end-to-end times below.</p>");
        b.append(params(r));

        b.append("<h2>Headline</h2><div class=\"cards\">");
        card(b, "photos completed", SvgChart.num(f.photosCompleted()));
        card(b, "sustained (first queued to last done)", fmt(f.sustainedPerSec(), 2) + " photos/s");
        card(b, "best 10 s", fmt(f.peakPerSec(), 2) + " photos/s");
        card(b, "concurrency reached", f.maxBusy() < 0 ? "see CloudWatch" : f.maxBusy() + " invocations ("
                + f.maxEnvironments() + " environments, " + f.maxPollers() + " pollers)");
        card(b, "cold starts", f.coldStarts() < 0 ? "see CloudWatch" : Long.toString(f.coldStarts()));
        if (r.drain() != null) {
            card(b, "backlog drain", Double.isNaN(r.drain().seconds()) ? "not drained"
                    : Durations.format(Duration.ofMillis((long) (r.drain().seconds() * 1000))) + " for "
                    + r.drain().photos() + " photos");
        }
        b.append("</div>");
        b.append("<table><tr><th>end-to-end (Gatling group)</th><th>photos</th><th>p50</th><th>p95</th><th>p99</th></tr>");
        for (Map.Entry<String, double[]> e : f.e2e().entrySet()) {
            double[] v = e.getValue();
            b.append("<tr><td>").append(Html.esc(e.getKey())).append("</td><td>").append((long) v[0])
                    .append("</td><td>").append(ms(v[1])).append("</td><td>").append(ms(v[2])).append("</td><td>")
                    .append(ms(v[3])).append("</td></tr>");
        }
        b.append("</table>");

        b.append("<h2>Verdict</h2><table><tr><th>check</th><th></th><th>figures</th></tr>");
        b.append("<tr><td>Gatling assertions: no failed request; each end-to-end group's p99 under ")
                .append(Html.esc(Durations.format(o.maxE2eP99()))).append("</td><td class=\"")
                .append(r.gatlingStatus() == 0 ? "ok\">passed" : "ko\">failed").append("</td><td>Gatling status ")
                .append(r.gatlingStatus()).append(" (details in its report)</td></tr>");
        for (Check c : r.checks()) {
            b.append("<tr><td>").append(Html.esc(c.name())).append("</td><td class=\"")
                    .append(c.passed() ? "ok\">passed" : "ko\">failed").append("</td><td>")
                    .append(Html.esc(c.detail())).append("</td></tr>");
        }
        b.append("</table><p class=\"muted\">The exit code of <code>./photopipe loadtest</code> is 0 only when all of "
                + "these passed.</p>");

        b.append("<h2>Over time</h2>");
        b.append(overTime(r));

        b.append("<h2>Cost on AWS</h2>");
        b.append(cost(r));

        b.append("<h2>Scale beyond this machine</h2>");
        b.append(scaling(r));
        b.append("</body></html>\n");
        return b.toString();
    }

    private static String params(RunResult r) {
        LoadTestOptions o = r.options();
        return "<p class=\"muted\">users " + o.users() + ", duration " + Html.esc(Durations.format(o.duration()))
                + (o.scenario().cliName().equals("upload-burst") || o.scenario().cliName().equals("poison-share")
                ? ", profile " + o.profile().name().toLowerCase(Locale.ROOT) : "")
                + (o.scenario().cliName().equals("mixed") ? String.format(Locale.ROOT,
                ", %.2f uploads/s per phase, backfill at %.1f msg/s", o.arrivalRate(), o.backfillRate()) : "")
                + (r.drain() != null || o.scenario().cliName().equals("mixed") ? ", library " + o.backlog() : "")
                + ", poll every " + Html.esc(Durations.format(o.pollInterval())) + "; worker " + r.memoryMb() + " MB "
                + Html.esc(r.architecture()) + ", batch " + r.batchSize() + ", MaximumConcurrency "
                + r.maxConcurrency() + (o.targetFile() == null ? ", local ramp " + Html.esc(o.localRamp().toString())
                : "") + (o.tinyPresets() ? ", tiny presets (one 96 px thumbnail)" : "") + "</p>";
    }

    private static String overTime(RunResult r) {
        List<Sample> s = r.samples();
        double end = s.isEmpty() ? 1 : s.getLast().atMillis() / 1000.0;
        StringBuilder b = new StringBuilder();
        b.append(new SvgChart("Upload queue", "messages").xMax(end)
                .add(SvgChart.Series.of("visible (depth)", BLUE, series(s, Sample::queued)))
                .add(SvgChart.Series.of("in flight", ORANGE, series(s, Sample::inFlight)))
                .add(SvgChart.Series.of("DLQ depth", RED, series(s, Sample::dlq))).render());
        b.append(new SvgChart("Age of the oldest message in flight", "s").xMax(end)
                .add(SvgChart.Series.of("age", PURPLE, series(s, x -> x.oldestAgeMs() < 0 ? Double.NaN
                        : x.oldestAgeMs() / 1000.0))).render());
        SvgChart conc = new SvgChart("Worker concurrency", "").xMax(end)
                .add(SvgChart.Series.of("environments alive", BLUE, series(s, Sample::environments)))
                .add(SvgChart.Series.of("invocations running", GREEN, series(s, Sample::busy)))
                .add(SvgChart.Series.of("ESM pollers", ORANGE, series(s, Sample::pollers)));
        if (r.drain() != null && r.localModel() != null) {
            List<double[]> pts = new ArrayList<>();
            double start = r.drain().startMs() / 1000.0;
            ScalingModel.Drain d = r.localModel().drain(r.drain().photos());
            for (double t = 0; t <= d.seconds(); t += 1) {
                pts.add(new double[] {start + t, r.localModel().concurrencyAt(t)});
            }
            conc.add(new SvgChart.Series("model: concurrency", GREY, pts, true));
        }
        b.append(conc.render());
        b.append(new SvgChart("Invocations and cold starts", "per s").xMax(end)
                .add(SvgChart.Series.of("invocations/s", BLUE, rate(s, Sample::invocations)))
                .add(SvgChart.Series.of("cold starts/s", RED, rate(s, Sample::coldStarts))).render());
        SvgChart through = new SvgChart("Throughput", "photos/s").xMax(end)
                .add(SvgChart.Series.of("completed/s", GREEN, rate(s, Sample::completed)));
        b.append(through.render());
        b.append(e2eChart(r, end));
        if (r.drain() != null) {
            b.append(drainChart(r, end));
        }
        b.append("<p class=\"muted\">Sampled every second. In flight: received by the event source mapping and not "
                + "yet deleted. The age is that of the oldest message received and not yet deleted (CloudWatch's "
                + "ApproximateAgeOfOldestMessage, approximated). Throughput counts messages completed (deleted after "
                + "the worker succeeded, or moved to the DLQ by it).</p>");
        return b.toString();
    }

    private static String e2eChart(RunResult r, double end) {
        long t0 = r.startedAt().toEpochMilli();
        SvgChart c = new SvgChart("End-to-end latency (by completion time, 5 s windows)", "s").xMax(end);
        String[] colours = {BLUE, ORANGE, RED};
        double[] qs = {0.50, 0.95, 0.99};
        String[] names = {"p50", "p95", "p99"};
        for (int i = 0; i < qs.length; i++) {
            List<double[]> pts = new ArrayList<>();
            for (double w = 0; w <= end; w += 5) {
                double lo = w * 1000;
                double hi = lo + 5000;
                List<E2eRecorder.Entry> in = r.e2e().stream()
                        .filter(e -> e.endMs() - t0 >= lo && e.endMs() - t0 < hi).toList();
                pts.add(new double[] {w + 2.5, in.isEmpty() ? Double.NaN
                        : LoadTestRunner.percentile(in, qs[i]) / 1000.0});
            }
            c.add(SvgChart.Series.of(names[i], colours[i], pts));
        }
        return c.render();
    }

    private static String drainChart(RunResult r, double end) {
        RunResult.Drain d = r.drain();
        List<Sample> s = r.samples();
        double start = d.startMs() / 1000.0;
        long base = 0;
        for (Sample x : s) {
            if (x.atMillis() <= d.startMs()) {
                base = Math.max(0, x.completed());
            }
        }
        long b0 = base;
        SvgChart c = new SvgChart("Backlog drained: measured and modelled", "photos").xMax(end)
                .add(SvgChart.Series.of("measured", GREEN, series(s, x -> x.atMillis() < d.startMs() ? Double.NaN
                        : Math.min(d.photos(), Math.max(0, x.completed() - b0)))));
        if (r.localModel() != null) {
            List<double[]> pts = new ArrayList<>();
            for (double[] p : r.localModel().curve(d.photos(), Duration.ofSeconds(1))) {
                pts.add(new double[] {start + p[0], p[1]});
            }
            c.add(new SvgChart.Series("model (local ramp, measured time per photo)", GREY, pts, true));
        }
        return c.render();
    }

    private static String cost(RunResult r) {
        CostModel.Bill bill = r.bill();
        if (bill == null) {
            return "<p>Not measured against a deployed stack: its invoke durations are in CloudWatch (the stack's "
                    + "dashboard). Run the same scenario locally for the projection.</p>";
        }
        Prices p = bill.prices();
        StringBuilder b = new StringBuilder();
        b.append("<p>Projected from this run: the worker's measured invocation time (summed over environments, "
                + "including the init of cold starts), its configured memory and architecture, and the S3, SQS and "
                + "API requests of each photo's path through the pipeline. Free tiers are left out. "
                + "<b>" + money(bill.usdPerMillion()) + " per million photos</b>.</p>");
        b.append("<table><tr><th>item</th><th>per photo</th><th>unit price</th><th>per million photos</th></tr>");
        for (CostModel.Line l : bill.lines()) {
            b.append("<tr><td>").append(Html.esc(l.item())).append("</td><td>")
                    .append(Html.esc(String.format(Locale.ROOT, "%.4g %s", l.perPhoto(), l.unit())))
                    .append("</td><td>").append(Html.esc(String.format(Locale.ROOT, "$%.4g", l.unitPrice())))
                    .append("</td><td>").append(money(l.usdPerMillion())).append("</td></tr>");
        }
        b.append("<tr><th>total</th><th></th><th></th><th>").append(money(bill.usdPerMillion())).append("</th></tr>");
        b.append("</table>");
        b.append("<p class=\"muted\">Prices: ").append(Html.esc(p.region())).append(", as of ")
                .append(Html.esc(p.asOf())).append(" (").append(Html.esc(String.join(", ", p.sources())))
                .append("). ").append(Html.esc(p.note()))
                .append(" Change them with <code>--prices FILE</code> (same shape as "
                        + "loadtest/src/main/resources/io/photopipe/loadtest/aws-prices-us-east-1.json). ")
                .append("Measured on this machine: ").append(String.format(Locale.ROOT, "%.3f s", r.usage()
                        .invokeSecondsPerPhoto()))
                .append(" of invocation per photo, plus ").append(String.format(Locale.ROOT, "%.3f s", r.usage()
                        .initSeconds() / r.usage().photos()))
                .append(" of cold-start init per photo (a short run has few photos per cold start); a Lambda environment of ").append(r.memoryMb())
                .append(" MB has about ").append(String.format(Locale.ROOT, "%.1f", r.memoryMb() / 1769.0))
                .append(" vCPU (1,769 MB = one vCPU) and runs on Graviton for arm64, so real durations differ: "
                        + "rerun against a deployed stack to confirm.</p>");
        return b.toString();
    }

    private static String scaling(RunResult r) {
        LoadTestOptions o = r.options();
        StringBuilder b = new StringBuilder();
        if (r.usage() == null) {
            return "<p>Needs a local run's measured time per photo.</p>";
        }
        double perPhoto = r.usage().invokeSecondsPerPhoto();
        b.append("<p>How long a backlog takes on AWS, from the documented behaviour of the SQS event source mapping "
                + "for standard queues: it starts with 5 concurrent batches and adds up to 300 per minute while "
                + "messages remain, up to 1,000 per mapping (<a href=\"https://docs.aws.amazon.com/lambda/latest/dg/"
                + "services-sqs-scaling.html\">Configuring scaling behavior for SQS event source mappings</a>), "
                + "capped by the mapping's MaximumConcurrency (2 to 1,000, <a href=\"https://docs.aws.amazon.com/"
                + "lambda/latest/api/API_ScalingConfig.html\">ScalingConfig</a>) and by the account's concurrency in "
                + "the region (").append(o.accountConcurrency()).append(" here; 1,000 by default, <a href=\"https://"
                + "docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html\">Lambda quotas</a>). Each "
                + "concurrent environment completes one photo per ").append(fmt(perPhoto, 3))
                .append(" s, the invocation time per photo measured in this run (batches of ").append(r.batchSize())
                .append(" are full while a backlog lasts), after a cold start of ").append(fmt(AWS_COLD_START_SECONDS, 1))
                .append(" s (SnapStart; locally it was ").append(fmt(r.localModel().coldStartSeconds(), 1))
                .append(" s on this busy machine). Cost is the per-photo bill above, times the backlog: it "
                        + "does not depend on concurrency.</p>");
        b.append("<table><tr><th>backlog</th>");
        for (int c : o.modelConcurrencies()) {
            b.append("<th>MaximumConcurrency ").append(c).append("</th>");
        }
        b.append("</tr>");
        for (long n : o.modelBacklogs()) {
            b.append("<tr><td>").append(SvgChart.num(n)).append(" photos<br><span class=\"muted\">cost ")
                    .append(money(r.bill().usdFor(n))).append("</span></td>");
            for (int c : o.modelConcurrencies()) {
                ScalingModel m = ScalingModel.aws(c, o.accountConcurrency(), perPhoto, AWS_COLD_START_SECONDS);
                ScalingModel.Drain d = m.drain(n);
                b.append("<td>").append(Html.esc(Durations.format(Duration.ofSeconds((long) Math.ceil(d.seconds())))))
                        .append("<br><span class=\"muted\">").append(SvgChart.num(Math.round(d.photosPerSecond())))
                        .append(" photos/s at ").append(d.peakConcurrency()).append("</span></td>");
            }
            b.append("</tr>");
        }
        b.append("</table>");
        b.append("<h3>The model checked against this run</h3>");
        if (r.drain() != null && r.localModel() != null && !Double.isNaN(r.drain().seconds())) {
            ScalingModel.Drain d = r.localModel().drain(r.drain().photos());
            double measured = r.drain().seconds();
            b.append("<p>The same model with the local ramp (").append(Html.esc(o.localRamp().toString()))
                    .append(", ceiling ").append(r.maxConcurrency()).append("), this run's time per photo and its "
                            + "measured cold start (").append(fmt(r.localModel().coldStartSeconds(), 1))
                    .append(" s) predicts ")
                    .append("<b>").append(fmt(d.seconds(), 1)).append(" s</b> to drain the ")
                    .append(r.drain().photos()).append(" photos; the measured drain took <b>").append(fmt(measured, 1))
                    .append(" s</b> (").append(fmt((measured - d.seconds()) / d.seconds() * 100, 0))
                    .append("% off). The chart above draws both. Locally the environments share this machine's CPUs, "
                            + "so the time per photo grows with concurrency and the model, which assumes it constant "
                            + "as on Lambda (each environment has its own vCPU share), fits only with the measured "
                            + "average; the SQS round trips between batches are not in the model either.</p>");
        } else {
            b.append("<p>A drain is what the model predicts; this scenario has no backlog to compare (run "
                    + "<code>./photopipe loadtest backfill-drain</code> for the check).</p>");
        }
        return b.toString();
    }

    private static List<double[]> series(List<Sample> s, ToDoubleFunction<Sample> f) {
        List<double[]> out = new ArrayList<>(s.size());
        for (Sample x : s) {
            double v = f.applyAsDouble(x);
            out.add(new double[] {x.atMillis() / 1000.0, v < 0 ? Double.NaN : v});
        }
        return out;
    }

    private static List<double[]> rate(List<Sample> s, ToDoubleFunction<Sample> counter) {
        List<double[]> out = new ArrayList<>(s.size());
        for (int i = 1; i < s.size(); i++) {
            double dt = (s.get(i).atMillis() - s.get(i - 1).atMillis()) / 1000.0;
            double a = counter.applyAsDouble(s.get(i - 1));
            double c = counter.applyAsDouble(s.get(i));
            out.add(new double[] {s.get(i).atMillis() / 1000.0, a < 0 || c < 0 || dt <= 0 ? Double.NaN
                    : Math.max(0, c - a) / dt});
        }
        return out;
    }

    private static void card(StringBuilder b, String label, String value) {
        b.append("<div class=\"card\"><div class=\"v\">").append(Html.esc(value)).append("</div><div class=\"l\">")
                .append(Html.esc(label)).append("</div></div>");
    }

    private static String ms(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%,.0f ms", v);
    }

    private static String fmt(double v, int decimals) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    private static String money(double usd) {
        return Html.esc(String.format(Locale.ROOT, usd >= 100 ? "$%,.0f" : "$%,.2f", usd));
    }

    /** The reports' stylesheet (also the chaos report's). */
    public static final String CSS = """
            body{font:15px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:24px auto;max-width:920px;
            color:#111827;padding:0 12px}h1{font-size:24px;margin-bottom:4px}h2{margin-top:32px;border-bottom:1px solid
            #e5e7eb;padding-bottom:4px}code{background:#f3f4f6;padding:1px 4px;border-radius:3px}
            table{border-collapse:collapse;margin:10px 0;width:100%}td,th{border:1px solid #e5e7eb;padding:5px 8px;
            text-align:left;vertical-align:top}th{background:#f9fafb}.muted{color:#6b7280;font-size:13px}
            .verdict{display:inline-block;font-weight:700;padding:4px 14px;border-radius:4px;color:#fff}
            .verdict.ok{background:#16a34a}.verdict.ko{background:#dc2626}td.ok{color:#16a34a;font-weight:600}
            td.ko{color:#dc2626;font-weight:600}.cards{display:flex;flex-wrap:wrap;gap:10px}.card{border:1px solid
            #e5e7eb;border-radius:6px;padding:8px 12px;min-width:150px}.card .v{font-size:18px;font-weight:600}
            .card .l{color:#6b7280;font-size:12px}svg.chart{width:100%;height:auto;margin:8px 0}
            .ct{font-weight:600;font-size:13px}.grid{stroke:#eef0f3}.axis{stroke:#9ca3af}
            .yl{font-size:11px;fill:#6b7280;text-anchor:end}.xl{font-size:11px;fill:#6b7280;text-anchor:middle}
            .lg{font-size:11px;fill:#374151}.mk{font-size:10px}
            """;
}
