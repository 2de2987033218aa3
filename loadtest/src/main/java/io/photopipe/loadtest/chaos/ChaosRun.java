package io.photopipe.loadtest.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.photopipe.core.PipelineSettings;
import io.photopipe.core.S3EventMessages;
import io.photopipe.loadtest.Durations;
import io.photopipe.local.servers.LocalCredentials;
import io.photopipe.local.stack.LocalCommand;
import io.photopipe.local.stack.LocalOptions;
import io.photopipe.local.stack.StackProcess;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * One chaos run: the library through a local stack in a child JVM under faults, then the settling and the ledger.
 *
 * <p>The plan, by share of the library uploaded (so it scales with {@code --objects} and the machine): uploads run
 * steadily at {@code --steady-rate}; worker environments ({@code --kill-target}) are SIGKILLed every
 * {@code --kill-every} from the start until {@code --storm-tail} after the last upload; at 25 % the stack gets
 * SIGTERM and is restarted on the same data directory and ports; at {@code --sqs-outage-at} (45 %) SQS goes down for
 * {@code --sqs-outage} (and a third into it one worker environment is SIGKILLed); from {@code 1 - --burst} the rest
 * is uploaded
 * at once, 16 at a time; at 75 % the stack gets SIGKILL (with its environments, as a crash would) and is restarted.
 * S3 faults ({@code --s3-faults}) apply throughout, to the uploads and the ledger's reads too (they retry). Uploads
 * that meet a stopped stack retry until it is back; only objects S3 acknowledged are in the ledger.
 */
final class ChaosRun {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int BURST_CONCURRENCY = 16;
    private static final int STEADY_CONCURRENCY = 6;

    private final ChaosOptions o;
    private final PrintStream out;
    private final Timeline timeline = new Timeline(Instant.now());
    private final Instant deadline;
    /** Uploads stop here, leaving the settling its time. */
    private final Instant uploadDeadline;
    private final Random random;
    private final AtomicInteger acknowledged = new AtomicInteger();
    private final AtomicBoolean uploadsDone = new AtomicBoolean();
    private final AtomicBoolean stopChaos = new AtomicBoolean();
    private volatile StackProcess stack;
    private volatile boolean stackDown;

    ChaosRun(ChaosOptions options, PrintStream out) {
        this.o = options;
        this.out = out;
        this.deadline = timeline.start().plus(options.maxDuration());
        Duration settleShare = options.settleTimeout().compareTo(options.maxDuration().dividedBy(2)) > 0
                ? options.maxDuration().dividedBy(2) : options.settleTimeout();
        this.uploadDeadline = deadline.minus(settleShare);
        this.random = new Random(options.seed());
    }

    /** Runs it and writes the reports; the result says whether anything was lost. */
    ChaosReport.Result run() throws Exception {
        Path root = LocalOptions.findProjectRoot(Path.of(""));
        Files.createDirectories(o.out());
        PipelineSettings settings = settings(root);
        this.bucket = settings.bucket();
        Path settingsFile = Files.writeString(o.out().resolve("settings.json"), settings.toJson());
        String loadBefore = ChaosReport.loadAverage();
        List<Library.Item> library = Library.build(o.objects(), o.seed(), settings.inputPrefix(), o.photoDirs());
        out.printf("chaos: %d objects (seed %d), S3 faults '%s', stack data in %s%n", library.size(), o.seed(),
                o.s3Faults(), o.out().resolve("stack"));

        stack = StackProcess.start(new StackProcess.Launch(o.out().resolve("stack"), settingsFile, o.s3Faults(), 0, 0,
                List.of()));
        timeline.event("stack-started", "pid " + stack.pid() + ", S3 " + stack.s3Endpoint() + ", SQS "
                + stack.sqsEndpoint());
        List<Ledger.Uploaded> uploaded = Collections.synchronizedList(new ArrayList<>());
        List<String> notUploaded = Collections.synchronizedList(new ArrayList<>());
        String settleNote;
        try (S3Client s3 = s3(stack); SqsClient sqs = sqs(stack)) {
            Thread sampler = Thread.ofPlatform().daemon().name("chaos-sampler").start(this::sample);
            Thread chaos = Thread.ofPlatform().daemon().name("chaos-faults").start(() -> faults(library.size()));
            upload(s3, library, uploaded, notUploaded);
            uploadsDone.set(true);
            timeline.event("uploads-done", acknowledged.get() + " acknowledged, " + notUploaded.size()
                    + " not (the stack refused or was down past the deadline)");
            chaos.join(Math.max(1, Duration.between(Instant.now(), deadline).toMillis()));
            stopChaos.set(true);
            settleNote = settle();
            sampler.interrupt();
            out.println("chaos: ledger...");
            WorkerLogs logs = WorkerLogs.read(stack.dataDir().resolve("logs"));
            Ledger.Result ledger = Ledger.compute(settings, s3, sqs, stack.env("PHOTOPIPE_DLQ_URL"),
                    List.copyOf(uploaded), logs);
            timeline.event("ledger", ledger.entries().size() + " objects checked");
            stack.close();
            timeline.event("stack-stopped", "SIGTERM");
            return ChaosReport.write("chaos", o, settings, timeline, ledger, logs, List.copyOf(notUploaded),
                    settleNote, loadBefore, stack.log());
        } finally {
            stopChaos.set(true);
            if (stack.alive()) {
                stack.kill();
            }
        }
    }

    /**
     * The ledger of a past run again, from what its data directory holds now: the stack restarted on it without
     * faults, a settling, then the ledger of the objects the run's {@code chaos.json} lists as acknowledged, written
     * to {@code recheck.json} and {@code recheck.html} beside it (for a run whose settling bound ended too early, or a
     * ledger that was wrong).
     */
    ChaosReport.Result recheck() throws Exception {
        JsonNode previous = JSON.readTree(o.out().resolve("chaos.json").toFile());
        Path settingsFile = o.out().resolve("settings.json");
        PipelineSettings settings = PipelineSettings.load(settingsFile);
        List<Ledger.Uploaded> uploaded = new ArrayList<>();
        previous.path("objects").forEach(e -> uploaded.add(new Ledger.Uploaded(e.path("key").asText(),
                e.path("kind").asText(), null)));
        List<String> notUploaded = new ArrayList<>();
        previous.path("notUploaded").forEach(e -> notUploaded.add(e.asText()));
        String loadBefore = ChaosReport.loadAverage();
        stack = StackProcess.start(new StackProcess.Launch(o.out().resolve("stack"), settingsFile, "", 0, 0,
                List.of()));
        timeline.event("stack-started", "recheck of " + o.out() + ": pid " + stack.pid() + ", no faults");
        try (S3Client s3 = s3(stack); SqsClient sqs = sqs(stack)) {
            String settleNote = settle();
            WorkerLogs logs = WorkerLogs.read(stack.dataDir().resolve("logs"));
            Ledger.Result ledger = Ledger.compute(settings, s3, sqs, stack.env("PHOTOPIPE_DLQ_URL"), uploaded, logs);
            timeline.event("ledger", ledger.entries().size() + " objects checked");
            stack.close();
            return ChaosReport.write("recheck", o, settings, timeline, ledger, logs, notUploaded, settleNote,
                    loadBefore, stack.log());
        } finally {
            if (stack.alive()) {
                stack.kill();
            }
        }
    }

    private PipelineSettings settings(Path root) throws IOException {
        PipelineSettings base = LocalCommand.loadSettings(root, o.settingsFile());
        ObjectNode tree = (ObjectNode) JSON.readTree(base.toJson());
        if (o.maxConcurrency() != null) {
            ((ObjectNode) tree.get("worker")).put("maxConcurrency", o.maxConcurrency());
        }
        if (o.tinyPresets()) {
            tree.set("renditions", JSON.readTree("[{\"name\":\"thumb\",\"width\":96,\"height\":96,\"fit\":\"cover\","
                    + "\"format\":\"jpeg\",\"quality\":0.8,\"filters\":[]}]"));
        }
        return PipelineSettings.fromJson(tree.toString());
    }

    // ---- uploads ------------------------------------------------------------------------------------------------

    private void upload(S3Client s3, List<Library.Item> items, List<Ledger.Uploaded> uploaded,
                        List<String> notUploaded) throws InterruptedException {
        int burstFrom = (int) Math.round(items.size() * (1 - o.burstFraction()));
        ExecutorService steady = Executors.newFixedThreadPool(STEADY_CONCURRENCY);
        long gapNanos = (long) (1e9 / o.steadyRate());
        long next = System.nanoTime();
        for (Library.Item item : items.subList(0, burstFrom)) {
            long wait = next - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            next += gapNanos;
            steady.execute(() -> uploadOne(s3, item, uploaded, notUploaded));
        }
        steady.shutdown();
        steady.awaitTermination(Math.max(1, Duration.between(Instant.now(), deadline).toMillis()), TimeUnit.MILLISECONDS);
        if (burstFrom < items.size()) {
            timeline.event("burst", (items.size() - burstFrom) + " uploads at once, " + BURST_CONCURRENCY
                    + " at a time");
            ExecutorService burst = Executors.newFixedThreadPool(BURST_CONCURRENCY);
            items.subList(burstFrom, items.size()).forEach(item -> burst.execute(() -> uploadOne(s3, item, uploaded,
                    notUploaded)));
            burst.shutdown();
            burst.awaitTermination(Math.max(1, Duration.between(Instant.now(), deadline).toMillis()),
                    TimeUnit.MILLISECONDS);
        }
    }

    /** PUTs one object, retrying (with backoff) through faults and restarts until S3 says 200 or time is up. */
    private void uploadOne(S3Client s3, Library.Item item, List<Ledger.Uploaded> uploaded, List<String> notUploaded) {
        byte[] bytes = item.bytes().get();
        String lastError = null;
        for (int attempt = 1; Instant.now().isBefore(uploadDeadline); attempt++) {
            try {
                String eTag = s3.putObject(b -> b.bucket(bucket).key(item.key())
                        .contentType(item.contentType()), RequestBody.fromBytes(bytes)).eTag();
                uploaded.add(new Ledger.Uploaded(item.key(), item.kind(), S3EventMessages.stripQuotes(eTag)));
                int n = acknowledged.incrementAndGet();
                if (n % 100 == 0) {
                    out.printf("chaos: %d uploaded (%.0fs)%n", n, timeline.now());
                }
                return;
            } catch (RuntimeException e) {
                lastError = e.getClass().getSimpleName() + ": " + e.getMessage();
                if (e instanceof software.amazon.awssdk.services.s3.model.S3Exception s3e && s3e.statusCode() == 400) {
                    break; // S3 refused the request itself (a key it does not take): retrying cannot help
                }
                sleep(Duration.ofMillis(Math.min(3000, 100L << Math.min(attempt, 5))));
            }
        }
        notUploaded.add(item.key() + " (" + lastError + ")");
    }

    private String bucket;

    // ---- faults -------------------------------------------------------------------------------------------------

    private void faults(int total) {
        double[] milestones = {0.25, o.outageAt(), 0.75};
        boolean[] done = new boolean[3];
        long nextKill = o.killEveryMin() == null ? Long.MAX_VALUE : System.nanoTime() + killGap();
        Instant uploadsEnded = null;
        Instant sqsBack = null;
        Instant outageKill = null;
        while (!stopChaos.get() && Instant.now().isBefore(deadline)) {
            // a library uploaded before a milestone (a tiny one) gets the rest of the plan at once
            double share = uploadsDone.get() ? 1.0 : acknowledged.get() / (double) total;
            try {
                if (!done[1] && share >= milestones[1]) {
                    done[1] = true;
                    if (!o.sqsOutage().isZero()) {
                        timeline.event("sqs-outage", "SQS down for " + Durations.format(o.sqsOutage()));
                        stack.control("POST", "/sqs/outage?seconds=" + o.sqsOutage().toSeconds());
                        sqsBack = Instant.now().plus(o.sqsOutage());
                        outageKill = Instant.now().plus(o.sqsOutage().dividedBy(3));
                    }
                } else if (!done[0] && share >= milestones[0]) {
                    done[0] = true;
                    if (o.sigterm()) {
                        restart("sigterm", false);
                    }
                } else if (!done[2] && share >= milestones[2]) {
                    done[2] = true;
                    if (o.sigkill()) {
                        restart("sigkill", true);
                    }
                }
                if (outageKill != null && Instant.now().isAfter(outageKill)) {
                    outageKill = null;
                    killOneEnvironment(); // the worker loses an environment while SQS is away too
                }
                if (sqsBack != null && Instant.now().isAfter(sqsBack)) {
                    sqsBack = null;
                    timeline.event("sqs-back", "the outage ends (the stack restarts SQS on its own)");
                }
                if (System.nanoTime() >= nextKill && !stackDown) {
                    killOneEnvironment();
                    nextKill = System.nanoTime() + killGap();
                }
            } catch (RuntimeException e) {
                timeline.event("chaos-error", e.toString());
            }
            if (uploadsDone.get()) {
                uploadsEnded = uploadsEnded == null ? Instant.now() : uploadsEnded;
                if (Instant.now().isAfter(uploadsEnded.plus(o.stormTail())) && done[0] && done[1] && done[2]
                        && sqsBack == null) {
                    timeline.event("storm-over", "no more SIGKILLs; the pipeline settles");
                    return;
                }
            }
            sleep(Duration.ofMillis(250));
        }
    }

    private long killGap() {
        long min = o.killEveryMin().toMillis();
        long max = o.killEveryMax().toMillis();
        return TimeUnit.MILLISECONDS.toNanos(min + (max == min ? 0 : (long) (random.nextDouble() * (max - min))));
    }

    /** SIGKILLs a worker environment the stack reports ({@code GET /environments}) of the kind asked for. */
    private void killOneEnvironment() {
        List<JsonNode> candidates = new ArrayList<>();
        int running = 0;
        try {
            for (JsonNode e : JSON.readTree(stack.control("GET", "/environments"))) {
                running++;
                boolean busy = e.path("busy").asBoolean();
                if (o.killTarget() == ChaosOptions.KillTarget.ANY || busy == (o.killTarget()
                        == ChaosOptions.KillTarget.BUSY)) {
                    candidates.add(e);
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        if (candidates.isEmpty()) {
            timeline.event("env-kill-skipped", "no " + o.killTarget().name().toLowerCase(java.util.Locale.ROOT)
                    + " worker environment (" + running + " running)");
            return;
        }
        JsonNode victim = candidates.get(random.nextInt(candidates.size()));
        // only a child of the stack: a pid the stack reported may have been reused by then
        ProcessHandle p = ProcessHandle.of(victim.path("pid").asLong()).filter(h -> h.parent()
                .map(parent -> parent.pid() == stack.pid()).orElse(false)).orElse(null);
        if (p == null) {
            timeline.event("env-kill-skipped", victim.path("id").asText() + " is gone already");
            return;
        }
        p.destroyForcibly();
        timeline.event("env-kill", "SIGKILL " + victim.path("id").asText() + " (pid " + p.pid() + ", "
                + (victim.path("busy").asBoolean() ? "busy" : "idle") + "; " + running + " running)");
    }

    private void restart(String how, boolean kill) {
        stackDown = true;
        Instant t0 = Instant.now();
        try {
            if (kill) {
                stack.kill();
            } else {
                stack.terminate();
            }
            int exit = stack.awaitExit(Duration.ofSeconds(90));
            timeline.event(how, (kill ? "SIGKILL" : "SIGTERM") + " of the stack (pid " + stack.pid() + "): exit "
                    + exit + " after " + Durations.format(Duration.between(t0, Instant.now())));
            if (exit < 0) {
                stack.kill();
                stack.awaitExit(Duration.ofSeconds(30));
            }
            stack = stack.restart();
            timeline.event("restart", "pid " + stack.pid() + " on the same data and ports, down "
                    + Durations.format(Duration.between(t0, Instant.now())));
        } finally {
            stackDown = false;
        }
    }

    // ---- observing ----------------------------------------------------------------------------------------------

    private void sample() {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                if (!stackDown && stack.alive()) {
                    JsonNode m = JSON.readTree(stack.control("GET", "/metrics"));
                    timeline.sample(Timeline.Sample.of(timeline.now(), m));
                }
            } catch (IOException | RuntimeException e) {
                // the stack is restarting: no sample
            }
            try {
                Thread.sleep(2000);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /**
     * Waits until SQS is up and the queue, the in-flight messages and the outbox are empty with the DLQ unchanged,
     * twice in a row {@code --poll-interval} apart; bounded by {@code --settle-timeout} and {@code --max-duration}.
     */
    private String settle() {
        Instant until = Instant.now().plus(o.settleTimeout());
        until = until.isAfter(deadline) ? deadline : until;
        out.printf("chaos: settling (at most %s)...%n", Durations.format(Duration.between(Instant.now(), until)));
        long lastDlq = -2;
        int stable = 0;
        Instant lastPrint = Instant.EPOCH;
        JsonNode m = null;
        while (Instant.now().isBefore(until)) {
            try {
                m = JSON.readTree(stack.control("GET", "/metrics"));
                long dlq = m.path("dlq").asLong(-1);
                boolean empty = m.path("sqsUp").asBoolean() && m.path("queued").asLong() == 0
                        && m.path("inFlight").asLong() == 0 && m.path("notificationsPending").asInt() == 0
                        && m.path("busy").asInt() == 0;
                stable = empty && dlq == lastDlq ? stable + 1 : 0;
                lastDlq = dlq;
                if (stable >= 2) {
                    timeline.event("settled", "queue, in flight and outbox empty; DLQ " + dlq);
                    return "settled after " + Durations.format(Duration.between(timeline.start(), Instant.now()));
                }
                if (Duration.between(lastPrint, Instant.now()).toSeconds() >= 15) {
                    out.printf("chaos: settling: queue %d, in flight %d, DLQ %d, outbox %d (%.0fs)%n",
                            m.path("queued").asLong(), m.path("inFlight").asLong(), dlq,
                            m.path("notificationsPending").asInt(), timeline.now());
                    lastPrint = Instant.now();
                }
            } catch (IOException | RuntimeException e) {
                stable = 0;
            }
            sleep(o.pollInterval());
        }
        String note = "NOT settled within the bound: " + (m == null ? "no metrics" : "queue "
                + m.path("queued").asLong() + ", in flight " + m.path("inFlight").asLong() + ", outbox "
                + m.path("notificationsPending").asInt());
        timeline.event("settle-timeout", note);
        return note;
    }

    // ---- clients ------------------------------------------------------------------------------------------------

    private S3Client s3(StackProcess s) {
        bucket = s.env("PHOTOPIPE_BUCKET");
        // the stack's faults hit these requests too: more attempts than the SDK's default 3
        return S3Client.builder().endpointOverride(s.s3Endpoint()).region(Region.of(LocalCredentials.REGION))
                .credentialsProvider(LocalCredentials.provider()).forcePathStyle(true)
                .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                        .maxAttempts(8).build()))
                .build();
    }

    private static SqsClient sqs(StackProcess s) {
        return SqsClient.builder().endpointOverride(s.sqsEndpoint()).region(Region.of(LocalCredentials.REGION))
                .credentialsProvider(LocalCredentials.provider()).build();
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
