package io.photopipe.loadtest;

import io.gatling.app.Gatling$;
import io.gatling.shared.cli.GatlingCliOptions;
import io.photopipe.core.PipelineSettings;
import io.photopipe.loadtest.model.CostModel;
import io.photopipe.loadtest.model.Prices;
import io.photopipe.loadtest.model.ScalingModel;
import io.photopipe.loadtest.model.Usage;
import io.photopipe.loadtest.report.ScalingReport;
import io.photopipe.loadtest.sim.BackfillDrainSimulation;
import io.photopipe.loadtest.sim.MixedSimulation;
import io.photopipe.loadtest.sim.PoisonShareSimulation;
import io.photopipe.loadtest.sim.UploadBurstSimulation;
import io.photopipe.producer.BackfillSummary;
import io.photopipe.producer.Dlq;
import io.photopipe.producer.DlqMessage;
import io.photopipe.producer.internal.Progress;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Runs one scenario end to end: starts the target (or opens a deployed one), prepares the scenario (a seeded library
 * for the backfill scenarios), samples the stack every second while Gatling runs the simulation, checks what Gatling
 * cannot see (DLQ, drain, latency with and without a backfill), prices the run and models its scaling, and writes
 * {@code scaling.html} beside Gatling's {@code index.html}.
 */
public final class LoadTestRunner {
    private static final DateTimeFormatter RUN_ID = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
            .withZone(ZoneOffset.UTC);

    private LoadTestRunner() {
    }

    /** Runs with the local stack or the {@code --target} stack; {@code out} gets progress lines and the paths. */
    public static RunResult run(LoadTestOptions o, Path projectRoot, PrintStream out) throws InterruptedException {
        PipelineSettings settings = settingsFor(o);
        out.println("loadtest " + o.scenario() + ": starting " + (o.targetFile() == null ? "the local stack"
                : "against " + o.targetFile()) + " ...");
        try (Target target = o.targetFile() == null
                ? LocalTarget.start(projectRoot, settings, o.ports(), o.localRamp())
                : DeployedTarget.open(o.targetFile(), settings)) {
            return runOn(target, o, projectRoot, out);
        }
    }

    /**
     * Runs on a target that is already there (the tests run every scenario on one local stack). The target's
     * counters are taken from the start of this run, so earlier runs do not count.
     */
    static RunResult runOn(Target target, LoadTestOptions o, Path projectRoot, PrintStream out)
            throws InterruptedException {
        Prices prices = o.pricesFile() == null ? Prices.defaults() : Prices.load(o.pricesFile());
        Path reports = o.reportsDir().isAbsolute() ? o.reportsDir() : projectRoot.resolve(o.reportsDir());
        String runId = o.scenario().cliName() + "-" + RUN_ID.format(Instant.now());
        out.println("  " + target.description());
        PhotoSource photos = PhotoSource.create(o.photosDir(), projectRoot, o.photoSize(),
                o.scenario() == Scenario.POISON_SHARE ? o.corruptPercent() : 0);
        out.println("  photos: " + photos.describe());
        return runOn(target, o, photos, prices, reports, runId, out);
    }

    /** The run's pipeline settings: the file or the defaults, with the run's presets and concurrency. */
    static PipelineSettings settingsFor(LoadTestOptions o) {
        PipelineSettings s = o.settingsFile() == null ? PipelineSettings.defaults()
                : PipelineSettings.load(o.settingsFile());
        PipelineSettings.Worker w = s.worker();
        if (o.maxConcurrency() > 0) {
            w = new PipelineSettings.Worker(w.memoryMb(), w.timeoutSeconds(), w.batchSize(),
                    w.batchingWindowSeconds(), o.maxConcurrency(), w.architecture());
        }
        var renditions = o.tinyPresets() ? PipelineSettings.renditionsFromJson(
                "[{\"name\":\"thumb\",\"width\":96,\"height\":96,\"fit\":\"cover\",\"format\":\"jpeg\","
                        + "\"quality\":0.8,\"filters\":[]}]") : s.renditions();
        return new PipelineSettings(s.bucket(), s.inputPrefix(), s.outputBucket(), s.outputPrefix(), s.queue(), w,
                s.limits(), s.jpegBackground(), renditions, s.api());
    }

    private static RunResult runOn(Target target, LoadTestOptions o, PhotoSource photos, Prices prices, Path reports,
                                   String runId, PrintStream out) throws InterruptedException {
        Backlog backlog = null;
        List<String> statusUrls = List.of();
        switch (o.scenario()) {
            case UPLOAD_BURST, POISON_SHARE -> target.startConsuming();
            case MIXED -> {
                out.println("  seeding a library of " + o.backlog() + " photos for the backfill ...");
                backlog = Backlog.seed(target, photos, o.backlog(), runId);
                target.startConsuming();
            }
            case BACKFILL_DRAIN -> {
                out.println("  seeding a library of " + o.backlog() + " photos for the backfill ...");
                backlog = Backlog.seed(target, photos, o.backlog(), runId);
                statusUrls = statusUrls(target, backlog, o.users(), o.readyTimeout().plusMinutes(10));
            }
        }
        if (o.apiWarmUp() > 0 && o.scenario() != Scenario.BACKFILL_DRAIN) {
            warmApi(target, o.apiWarmUp(), out);
        }
        E2eRecorder recorder = new E2eRecorder();
        RunContext.install(new RunContext(o, target, photos, recorder, backlog, statusUrls));
        MetricsSampler sampler = MetricsSampler.start(target, 1000);
        double busyBase = target.busySeconds();
        Instant startedAt = Instant.now();
        int gatlingStatus;
        Path gatlingDir;
        RunResult.Drain drain = null;
        List<Check> checks = new ArrayList<>();
        try {
            Set<Path> before = runDirs(reports);
            out.println("  running the Gatling simulation ...");
            gatlingStatus = Gatling$.MODULE$.fromArgs(new String[] {
                    GatlingCliOptions.Simulation.longOption(), simulationOf(o.scenario()).getName(),
                    GatlingCliOptions.ResultsFolder.longOption(), reports.toString(),
                    GatlingCliOptions.RunDescription.longOption(), runId});
            gatlingDir = runDirs(reports).stream().filter(p -> !before.contains(p)).findFirst()
                    .orElseThrow(() -> new IllegalStateException("Gatling wrote no report under " + reports));
            switch (o.scenario()) {
                case POISON_SHARE -> checks.addAll(poisonChecks(target, sampler, recorder));
                case MIXED -> {
                    BackfillSummary summary = backlog.stopAndWait(Duration.ofMinutes(2));
                    checks.add(mixedCheck(recorder, o, summary));
                }
                case BACKFILL_DRAIN -> {
                    drain = awaitDrain(target, sampler, backlog, o, checks);
                }
                default -> {
                }
            }
            if (target.local()) {
                Backlog b = backlog;
                long expected = b == null ? recorder.entries().size() : b.keys().size();
                awaitQuiet(target, expected, Duration.ofSeconds(60));
            }
        } finally {
            RunContext.clear();
        }
        List<Sample> samples = sampler.stop();
        Usage usage = target.local() ? usage(target, samples, target.busySeconds() - busyBase, recorder, backlog)
                : null;
        CostModel.Bill bill = usage == null ? null : CostModel.perMillion(usage, prices);
        PipelineSettings.Worker w = target.settings().worker();
        Sample lastSample = samples.isEmpty() ? null : samples.getLast();
        ScalingModel localModel = usage == null ? null : new ScalingModel(o.localRamp().initial(),
                o.localRamp().step(), o.localRamp().interval(), w.maxConcurrency(), usage.invokeSecondsPerPhoto(),
                lastSample == null ? 0 : lastSample.initP50Ms() / 1000.0);
        RunResult result = new RunResult(runId, startedAt, o, target.description(), photos.describe(), gatlingDir,
                gatlingStatus, samples, recorder.entries(), checks, drain, usage, bill, localModel, w.memoryMb(),
                w.architecture(), w.batchSize(), w.maxConcurrency());
        Path html = ScalingReport.write(result, gatlingDir.resolve("scaling.html"));
        out.println();
        checks.forEach(c -> out.println("  check " + (c.passed() ? "PASSED" : "FAILED") + ": " + c.name() + " ("
                + c.detail() + ")"));
        out.println("  Gatling assertions: " + (gatlingStatus == 0 ? "passed" : "FAILED (status " + gatlingStatus + ")"));
        out.println("verdict: " + (result.passed() ? "PASSED" : "FAILED"));
        out.println("Gatling report: " + gatlingDir.resolve("index.html"));
        out.println("scaling report: " + html);
        return result;
    }

    /**
     * Starts {@code n} API execution environments with {@code n} concurrent requests for an unknown id (answered 404
     * after a real S3 lookup), as provisioned concurrency would have them ready.
     */
    private static void warmApi(Target target, int n, PrintStream out) throws InterruptedException {
        long start = System.nanoTime();
        URI uri = URI.create(target.apiBase() + "/images/00000000000000000000000000");
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
             ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Integer>> calls = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                calls.add(pool.submit(() -> http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60))
                        .GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode()));
            }
            List<Integer> codes = new ArrayList<>();
            for (Future<Integer> f : calls) {
                try {
                    codes.add(f.get());
                } catch (ExecutionException e) {
                    codes.add(-1);
                }
            }
            out.println("  warmed " + n + " API environment(s) in " + Durations.format(Duration.ofNanos(
                    System.nanoTime() - start)) + " (answers " + codes + ")");
        }
    }

    static Class<?> simulationOf(Scenario s) {
        return switch (s) {
            case UPLOAD_BURST -> UploadBurstSimulation.class;
            case BACKFILL_DRAIN -> BackfillDrainSimulation.class;
            case MIXED -> MixedSimulation.class;
            case POISON_SHARE -> PoisonShareSimulation.class;
        };
    }

    private static Set<Path> runDirs(Path reports) {
        try {
            Files.createDirectories(reports);
            try (Stream<Path> s = Files.list(reports)) {
                return s.filter(Files::isDirectory).collect(Collectors.toSet());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot use the reports folder " + reports, e);
        }
    }

    /** Presigned GETs of the status documents of {@code n} photos spread evenly over the library. */
    private static List<String> statusUrls(Target target, Backlog backlog, int n, Duration valid) {
        List<String> keys = backlog.keys();
        var layout = target.settings().layout();
        int count = Math.min(n, keys.size());
        List<String> urls = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String key = layout.statusKey(keys.get((int) ((long) i * keys.size() / count)));
            urls.add(target.presigner().presignGetObject(b -> b.signatureDuration(valid)
                    .getObjectRequest(g -> g.bucket(target.outputBucket()).key(key))).url().toString());
        }
        if (backlog.processedFirst()) {
            // the worker processed the seeded library already: remove the tracked statuses so the watchers
            // see each one come back when the backfill rebuilds it
            for (int i = 0; i < count; i++) {
                String key = layout.statusKey(keys.get((int) ((long) i * keys.size() / count)));
                target.s3().deleteObject(b -> b.bucket(target.outputBucket()).key(key));
            }
        }
        return urls;
    }

    private static RunResult.Drain awaitDrain(Target target, MetricsSampler sampler, Backlog backlog,
                                              LoadTestOptions o, List<Check> checks) throws InterruptedException {
        long startMs = backlog.startedAtMs() == 0 ? 0 : backlog.startedAtMs() - sampler.startMillis();
        long n = backlog.keys().size();
        BackfillSummary summary = backlog.await(o.readyTimeout());
        boolean drained = await(() -> {
            Sample s = sampler.now();
            return s.queued() == 0 && s.inFlight() == 0 && (s.completed() < 0 || s.completed() >= n);
        }, o.readyTimeout());
        long endMs = drained ? sampler.now().atMillis() : -1;
        double rate = summary == null ? 0 : summary.messagesPerSecond();
        checks.add(new Check("the whole backlog drained", drained, n + " photos enqueued by the backfill ("
                + (summary == null ? "?" : summary.sent()) + " sent, "
                + String.format(Locale.ROOT, "%.0f", rate) + " msg/s)" + (drained ? ", queue empty after "
                + Durations.format(Duration.ofMillis(endMs - startMs)) : ", not empty after "
                + Durations.format(o.readyTimeout()))));
        Sample last = sampler.now();
        checks.add(new Check("nothing new in the DLQ", last.dlq() == 0, last.dlq() + " message(s) in the DLQ"));
        return new RunResult.Drain(n, startMs, endMs, rate);
    }

    private static List<Check> poisonChecks(Target target, MetricsSampler sampler, E2eRecorder recorder)
            throws InterruptedException {
        List<E2eRecorder.Entry> all = recorder.entries();
        List<String> corruptIds = all.stream().filter(e -> e.expected().equals("failed")).map(E2eRecorder.Entry::id)
                .toList();
        long corrupt = corruptIds.size();
        long good = all.size() - corrupt;
        await(() -> sampler.now().dlq() >= corrupt, Duration.ofSeconds(60));
        // this run's DLQ messages: those of its corrupt uploads (the DLQ may hold older ones)
        List<DlqMessage> messages = new Dlq(target.sqs(), target.dlqUrl(), 30).peek(10_000, Progress.none())
                .stream().filter(m -> m.object() != null && corruptIds.stream().anyMatch(id -> m.object()
                        .contains("/" + id + "/"))).toList();
        List<Check> checks = new ArrayList<>();
        long withReason = messages.stream().filter(m -> !DlqMessage.NO_REASON.equals(m.reasonCode())).count();
        String reasons = Dlq.group(messages).stream().map(g -> g.reasonCode() + " x" + g.count())
                .collect(Collectors.joining(", "));
        long dlqGrowth = sampler.now().dlq();
        checks.add(new Check("the DLQ holds exactly the corrupt photos, each with a reason",
                messages.size() == corrupt && withReason == corrupt && dlqGrowth == corrupt,
                "DLQ grew by " + dlqGrowth + "; " + messages.size() + " DLQ message(s) for the " + corrupt
                        + " corrupt upload(s); reasons: " + (reasons.isEmpty() ? "none" : reasons)));
        long ready = all.stream().filter(e -> e.expected().equals("ready") && e.outcome().equals("ready")).count();
        checks.add(new Check("every good photo ready", ready == good, ready + " of " + good + " good photo(s) ready"));
        return checks;
    }

    private static Check mixedCheck(E2eRecorder recorder, LoadTestOptions o, BackfillSummary summary) {
        double alone = percentile(recorder.group(MixedSimulation.ALONE), 0.95);
        double during = percentile(recorder.group(MixedSimulation.DURING_BACKFILL), 0.95);
        double allowed = alone * o.maxSlowdown() + o.pollInterval().toMillis();
        return new Check("live uploads keep their latency while a backfill runs", during <= allowed,
                String.format(Locale.ROOT, "end-to-end p95 %.0f ms alone, %.0f ms during the backfill (allowed %.0f "
                                + "ms = %.1fx + one poll); backfill sent %s message(s) at %.1f/s", alone, during,
                        allowed, o.maxSlowdown(), summary == null ? "0" : Long.toString(summary.sent()),
                        summary == null ? 0.0 : summary.messagesPerSecond()));
    }

    /** The {@code q} quantile of the entries' durations (nearest rank), NaN when there are none. */
    public static double percentile(List<E2eRecorder.Entry> entries, double q) {
        if (entries.isEmpty()) {
            return Double.NaN;
        }
        long[] ms = entries.stream().mapToLong(E2eRecorder.Entry::millis).sorted().toArray();
        int i = (int) Math.ceil(q * ms.length) - 1;
        return ms[Math.clamp(i, 0, ms.length - 1)];
    }

    private static void awaitQuiet(Target target, long expectedCompleted, Duration limit) throws InterruptedException {
        await(() -> {
            Sample s = target.sample(0);
            return s.queued() == 0 && s.inFlight() == 0 && s.busy() == 0;
        }, limit);
    }

    private static boolean await(BooleanSupplier done, Duration limit) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > end) {
                return false;
            }
            Thread.sleep(250);
        }
        return true;
    }

    private static Usage usage(Target target, List<Sample> samples, double busySeconds, E2eRecorder recorder,
                               Backlog backlog) {
        Sample last = samples.getLast();
        long rejected = last.dlq();
        long completed = last.completed();
        if (completed <= 0) {
            return null;
        }
        long uploaded = recorder.entries().stream().filter(e -> !e.group()
                .equals(BackfillDrainSimulation.BACKFILL_TO_READY)).count();
        long backfilled = backlog == null ? 0 : Math.max(0, completed - uploaded);
        PipelineSettings s = target.settings();
        Usage.RunCounts counts = new Usage.RunCounts(Math.max(0, completed - rejected), rejected, uploaded,
                backfilled, last.invocations(), last.batches(), busySeconds,
                last.coldStarts() * last.initP50Ms() / 1000.0, s.renditions().size());
        return Usage.fromRun(counts, s.worker().memoryMb(), s.worker().architecture());
    }
}
