package io.photopipe.loadtest;

import io.photopipe.core.PipelineSettings;
import io.photopipe.local.esm.EsmStats;
import io.photopipe.local.esm.ScalingPolicy;
import io.photopipe.local.lambda.LambdaStats;
import io.photopipe.local.servers.LocalCredentials;
import io.photopipe.local.stack.LocalOptions;
import io.photopipe.local.stack.LocalStack;
import io.photopipe.local.stack.StackMetrics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The local stack, started for one run in a fresh temporary data directory, on free ports unless told otherwise (so
 * it never collides with a running {@code ./photopipe local}), with the worker's event source mapping held until
 * {@link #startConsuming()}. Stopped and deleted on {@link #close()}.
 */
public final class LocalTarget implements Target {
    /** How often the busy environments are counted to integrate invocation time. */
    private static final long BUSY_TICK_MILLIS = 20;
    /** System property: keep the temporary data directory (objects, queues, function logs) after the run. */
    public static final String KEEP_DATA = "photopipe.loadtest.keepData";

    private final LocalStack stack;
    private final Path dataDir;
    private final LoadTestOptions.Ramp ramp;
    private final S3Presigner presigner;
    private final ScheduledExecutorService busyTicker;
    private final Object busyLock = new Object();
    private double busySeconds;
    private long lastTickNanos;

    private LocalTarget(LocalStack stack, Path dataDir, LoadTestOptions.Ramp ramp) {
        this.stack = stack;
        this.dataDir = dataDir;
        this.ramp = ramp;
        this.presigner = stack.s3().presigner();
        this.lastTickNanos = System.nanoTime();
        this.busyTicker = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon()
                .name("loadtest-busy").unstarted(r));
        busyTicker.scheduleAtFixedRate(this::tick, BUSY_TICK_MILLIS, BUSY_TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    /**
     * Starts the stack for a run.
     *
     * @param projectRoot the checkout (the worker and API jars are found under it)
     * @param settings    the pipeline settings, already adjusted for the run
     * @param ports       S3, SQS and API ports (0: free ones)
     * @param ramp        the event source mapping's poller ramp
     * @throws IllegalStateException when a jar is missing or a server cannot start (e.g. a port in use)
     */
    public static LocalTarget start(Path projectRoot, PipelineSettings settings, int[] ports,
                                    LoadTestOptions.Ramp ramp) {
        requireJar(projectRoot.resolve(LocalOptions.WORKER_JAR), "worker");
        requireJar(projectRoot.resolve(LocalOptions.API_JAR), "api");
        Path data;
        try {
            data = Files.createTempDirectory("photopipe-loadtest-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary data directory", e);
        }
        LocalOptions options = LocalOptions.ephemeral(projectRoot, data).withPorts(ports[0], ports[1], ports[2])
                .withRunWorker(false);
        LocalStack stack = LocalStack.start(settings, options);
        if (stack.apiEndpoint().isEmpty()) {
            stack.close();
            throw new IllegalStateException(stack.apiSkippedReason().orElse("the upload API did not start"));
        }
        dropTestEvent(stack);
        return new LocalTarget(stack, data, ramp);
    }

    /**
     * The stack sends S3's {@code s3:TestEvent} when it saves the bucket's notification configuration; it is not a
     * photo, so it is taken out of the queue before the run (else the worker's first batch would be that message).
     */
    private static void dropTestEvent(LocalStack stack) {
        long end = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < end) {
            StackMetrics m = stack.metrics();
            if (m.notificationsPending() == 0 && m.queued() >= 1) {
                break;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        stack.sqs().client().purgeQueue(b -> b.queueUrl(stack.queues().queueUrl()));
    }

    private static void requireJar(Path jar, String module) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " does not exist: build it with ./mvnw -pl " + module
                    + " -am package -DskipTests (./photopipe loadtest does this for you)");
        }
    }

    /** The stack (for tests and the report). */
    public LocalStack stack() {
        return stack;
    }

    private void tick() {
        int busy = stack.lambda().stats().function(LocalStack.WORKER_FUNCTION).busy();
        long now = System.nanoTime();
        synchronized (busyLock) {
            busySeconds += busy * (now - lastTickNanos) / 1e9;
            lastTickNanos = now;
        }
    }

    @Override
    public String description() {
        return "local stack (S3 " + stack.s3().endpoint() + ", SQS " + stack.sqs().endpoint() + ", API "
                + apiBase() + "; worker in child JVMs with the Lambda runtime client; ramp " + ramp + ")";
    }

    @Override
    public boolean local() {
        return true;
    }

    @Override
    public PipelineSettings settings() {
        return stack.settings();
    }

    @Override
    public URI apiBase() {
        String s = stack.apiEndpoint().orElseThrow().toString();
        return URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
    }

    @Override
    public Region region() {
        return Region.of(LocalCredentials.REGION);
    }

    @Override
    public S3Client s3() {
        return stack.s3().client();
    }

    @Override
    public S3Presigner presigner() {
        return presigner;
    }

    @Override
    public SqsClient sqs() {
        return stack.sqs().client();
    }

    @Override
    public String bucket() {
        return stack.settings().bucket();
    }

    @Override
    public String outputBucket() {
        return stack.settings().effectiveOutputBucket();
    }

    @Override
    public String queueUrl() {
        return stack.queues().queueUrl();
    }

    @Override
    public String dlqUrl() {
        return stack.queues().dlqUrl();
    }

    @Override
    public boolean canHoldBacklog() {
        return true;
    }

    @Override
    public boolean consuming() {
        return stack.esmStats().isPresent();
    }

    @Override
    public void startConsuming() {
        // the idle scale-down follows the ramp's interval, so pollers added for a burst stop soon after it
        stack.startWorker(new ScalingPolicy(ramp.initial(), ramp.step(), ramp.interval(), ramp.interval()));
    }

    @Override
    public Sample sample(long atMillis) {
        StackMetrics m = stack.metrics();
        EsmStats e = stack.esmStats().orElse(null);
        LambdaStats.FunctionStats f = stack.lambda().stats().function(LocalStack.WORKER_FUNCTION);
        return new Sample(atMillis, m.queued(), m.inFlight(), m.dlq(), m.oldestAge().toMillis(), m.environments(),
                m.busy(), e == null ? 0 : e.pollers(), m.invocations(), m.coldStarts(), m.batches(),
                e == null ? 0 : e.deleted(), f.invoke().p50().toMillis(), f.invoke().p99().toMillis(),
                f.init().p50().toMillis());
    }

    @Override
    public double busySeconds() {
        synchronized (busyLock) {
            return busySeconds;
        }
    }

    @Override
    public void close() {
        busyTicker.shutdownNow();
        stack.close();
        if (Boolean.getBoolean(KEEP_DATA)) {
            System.out.println("  kept the stack's data (function logs under logs/): " + dataDir);
            return;
        }
        try (Stream<Path> files = Files.walk(dataDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temp directory left behind is harmless; the report says nothing about it
        }
    }
}
