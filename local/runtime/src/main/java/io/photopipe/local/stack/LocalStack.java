package io.photopipe.local.stack;

import io.photopipe.core.ApiAuth;
import io.photopipe.core.FunctionEnv;
import io.photopipe.core.PipelineSettings;
import io.photopipe.local.apigw.HttpApi;
import io.photopipe.local.esm.EsmConfig;
import io.photopipe.local.esm.EsmStats;
import io.photopipe.local.esm.EventSourceMapping;
import io.photopipe.local.esm.ScalingPolicy;
import io.photopipe.local.lambda.FunctionConfig;
import io.photopipe.local.lambda.LambdaOptions;
import io.photopipe.local.lambda.LambdaStats;
import io.photopipe.local.lambda.LocalLambda;
import io.photopipe.local.notify.NotificationConfiguration;
import io.photopipe.local.notify.NotificationService;
import io.photopipe.local.servers.EmbeddedS3;
import io.photopipe.local.servers.EmbeddedSqs;
import io.photopipe.local.servers.LocalCredentials;
import io.photopipe.local.servers.S3Faults;
import io.photopipe.local.stack.internal.QueueAgeTracker;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The whole pipeline offline, in this process: S3 (filesystem-backed) with event notifications, SQS (persistent) with
 * the upload queue, its DLQ and the results queue, the worker function (child JVMs running the real Lambda runtime
 * client) fed by Lambda's SQS event source mapping, and the upload API when its jar is built. Everything is created
 * from one {@link PipelineSettings}, the same the CDK app deploys, so local and AWS cannot drift.
 *
 * <pre>{@code
 * try (LocalStack stack = LocalStack.start(PipelineSettings.defaults(), LocalOptions.defaults(root))) {
 *     stack.s3().client().putObject(...);   // -> notification -> queue -> worker -> renditions
 * }
 * }</pre>
 */
public final class LocalStack implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalStack.class);
    /** Function names, as in the CDK app. */
    public static final String WORKER_FUNCTION = "photopipe-worker";
    public static final String API_FUNCTION = "photopipe-api";
    public static final String WORKER_HANDLER = "io.photopipe.worker.WorkerHandler::handleRequest";
    public static final String API_HANDLER = "io.photopipe.api.ApiHandler::handleRequest";

    private final PipelineSettings settings;
    private final LocalOptions options;
    private final Deque<AutoCloseable> closeables = new ArrayDeque<>();
    /** Stops the stack in order if the JVM exits without {@link #close()} (Ctrl-C, SIGTERM). */
    private final Thread shutdownHook = Thread.ofPlatform().name("photopipe-stack-shutdown").unstarted(this::close);
    private volatile boolean closed;
    private EmbeddedSqs sqs;
    private EmbeddedS3 s3;
    private NotificationService notifications;
    private LocalLambda lambda;
    private EventSourceMapping esm;
    private HttpApi api;
    private ControlServer control;
    private SqsClient esmClient;
    private QueueAgeTracker ageTracker;
    private EmbeddedSqs.QueuePair queues;
    private String resultsQueueUrl;
    private String apiSkippedReason;

    private LocalStack(PipelineSettings settings, LocalOptions options) {
        this.settings = settings;
        this.options = options;
    }

    /**
     * Starts everything; on failure stops what was started and throws with the reason (e.g. a port in use).
     */
    public static LocalStack start(PipelineSettings settings, LocalOptions options) {
        LocalStack stack = new LocalStack(settings, options);
        Runtime.getRuntime().addShutdownHook(stack.shutdownHook);
        try {
            stack.startAll();
            return stack;
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        }
    }

    private void startAll() {
        Path data = options.dataDir().toAbsolutePath();
        try {
            Files.createDirectories(data);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot create the data directory " + data + ": " + e.getMessage(), e);
        }
        sqs = keep(EmbeddedSqs.start(new EmbeddedSqs.Options(options.host(), options.sqsPort(), data.resolve("sqs"))));
        PipelineSettings.Queue q = settings.queue();
        queues = sqs.createQueueWithDlq(q.name(), q.dlqName(), q.maxReceiveCount(), q.visibilityTimeoutSeconds());
        // queue.retentionSeconds is not set here: ElasticMQ ignores MessageRetentionPeriod (and warns about it).
        resultsQueueUrl = sqs.createQueue(q.resultsName(), Map.of());

        notifications = keep(NotificationService.start(data.resolve("notifications"), sqs.client(),
                LocalCredentials.REGION));
        boolean withApi = Files.isRegularFile(options.apiJar());
        if (withApi) {
            // The API's address first, even when it is an ephemeral port: its page is the one origin the local S3
            // allows besides api.corsOrigins, and its links start with it. It answers once the function is
            // registered below (a request before that gets API Gateway's 500).
            // close() stops it itself, right after the event source mapping: no new requests once the stack stops
            api = HttpApi.start(options.host(), options.apiPort(), (fn, payload) -> lambda.invoke(fn, payload),
                    API_FUNCTION);
        }
        List<String> origins = new ArrayList<>(settings.api().corsOrigins());
        if (withApi) {
            origins.addAll(pageOrigins(api.endpoint()));
        }
        s3 = keep(EmbeddedS3.start(EmbeddedS3.Options.builder().host(options.host()).port(options.s3Port())
                .dataDir(data.resolve("s3")).blobStoreDecorator(notifications.decorator())
                .cors(origins.isEmpty() ? null : new EmbeddedS3.Cors(origins, List.of("GET", "PUT", "POST", "HEAD"),
                        List.of("*"), List.of("ETag")))
                .faults(S3Faults.parse(options.s3Faults())).build()));
        s3.createBucket(settings.bucket());
        s3.createBucket(settings.effectiveOutputBucket());
        if (notifications.configure(NotificationConfiguration.forPipeline(settings, queues.queueArn()))) {
            LOG.info("notification configuration of {} saved; s3:TestEvent sent to {}", settings.bucket(), q.name());
        }

        // the stack stops its functions itself, after the event source mapping (see close())
        lambda = LocalLambda.start(LambdaOptions.defaults().withMode(options.functionMode())
                .withLogDirectory(data.resolve("logs")).withRegion(LocalCredentials.REGION)).leaveShutdownToOwner();
        if (Files.isRegularFile(options.workerJar())) {
            lambda.register(new FunctionConfig(WORKER_FUNCTION, options.workerJar(), WORKER_HANDLER,
                    settings.worker().memoryMb(), settings.worker().timeoutSeconds(), workerEnvironment()));
            if (options.runWorker()) {
                startWorker();
            }
        } else if (options.runWorker()) {
            throw new IllegalStateException("the worker jar " + options.workerJar() + " does not exist: build it with"
                    + " ./mvnw -pl worker -am package -DskipTests (./photopipe local and demo do this for you)");
        }

        if (withApi) {
            // Anonymous: a dev stack on this machine, said loudly by describe(); deployed, every route needs IAM or
            // JWT authorization (infra's UploadApi)
            Map<String, String> env = new LinkedHashMap<>(FunctionEnv.api(settings, ApiAuth.NONE,
                    api.endpoint().toString()));
            env.putAll(endpointEnvironment());
            lambda.register(new FunctionConfig(API_FUNCTION, options.apiJar(), API_HANDLER,
                    settings.api().memoryMb(), settings.api().timeoutSeconds(), env));
        } else {
            apiSkippedReason = "no upload API: " + options.apiJar() + " is not built";
        }
        if (options.controlPort() >= 0) {
            control = ControlServer.start(this, options.controlPort());
        }

        if (options.envFile() != null) {
            LocalEnvFile.write(options.envFile(), envVariables());
        }
    }

    /** Starts the event source mapping (if not running): the worker consumes the upload queue. */
    public synchronized void startWorker() {
        startWorker(ScalingPolicy.aws());
    }

    /**
     * Starts the event source mapping (if not running) with another poller ramp than AWS's, e.g. a compressed one so
     * a short load test shows the ramp (the load tests' scaling model is checked against it).
     */
    public synchronized void startWorker(ScalingPolicy scaling) {
        if (esm != null) {
            return;
        }
        ageTracker = new QueueAgeTracker(Duration.ofSeconds(settings.queue().visibilityTimeoutSeconds()));
        esmClient = sqs.clientBuilder().overrideConfiguration(o -> o.addExecutionInterceptor(ageTracker)).build();
        esm = EventSourceMapping.start(esmClient, lambda,
                EsmConfig.of(settings, queues.queueUrl(), queues.queueArn(), WORKER_FUNCTION).withScaling(scaling));
    }

    /** The origins a browser sends from the API's page: its address, and {@code localhost} for the loopback one. */
    static List<String> pageOrigins(URI api) {
        List<String> origins = new ArrayList<>(List.of("http://" + api.getAuthority()));
        if (api.getHost().equals("127.0.0.1")) {
            origins.add("http://localhost:" + api.getPort());
        }
        return origins;
    }

    private Map<String, String> workerEnvironment() {
        Map<String, String> env = new LinkedHashMap<>(FunctionEnv.worker(settings, queues.dlqUrl(), resultsQueueUrl));
        env.putAll(endpointEnvironment());
        return env;
    }

    /** What points a function's AWS SDK at the local servers (credentials come from the Lambda emulation). */
    private Map<String, String> endpointEnvironment() {
        return Map.of("AWS_ENDPOINT_URL_S3", s3.endpoint().toString(),
                "AWS_ENDPOINT_URL_SQS", sqs.endpoint().toString());
    }

    private <T extends AutoCloseable> T keep(T closeable) {
        closeables.push(closeable);
        return closeable;
    }

    /** The variables of {@code local.env}. */
    public Map<String, String> envVariables() {
        Map<String, String> env = LocalEnvFile.variables(s3.endpoint(), sqs.endpoint(),
                api == null ? null : api.endpoint(), settings.bucket(), queues.queueUrl(), queues.dlqUrl(),
                resultsQueueUrl);
        if (control != null) {
            env.put("PHOTOPIPE_CONTROL_URL", control.endpoint().toString());
            env.put("PHOTOPIPE_CONTROL_TOKEN", control.token());
        }
        env.put("PHOTOPIPE_STACK_PID", Long.toString(ProcessHandle.current().pid()));
        return env;
    }

    /** The control endpoint, when {@link LocalOptions#controlPort()} asked for one. */
    public Optional<ControlServer> control() {
        return Optional.ofNullable(control);
    }

    // ---- the SQS outage switch --------------------------------------------------------------------------------

    /**
     * Begins an SQS outage: the embedded SQS stops (its port closes, every acknowledged change is in its store).
     * Meanwhile S3 notifications wait in the outbox, the event source mapping's receives fail and are retried, and
     * the worker's SQS calls fail as they would during an SQS outage on AWS. Does nothing when SQS is down already.
     */
    public synchronized void stopSqs() {
        if (closed || !sqs.running()) {
            return;
        }
        LOG.warn("SQS outage: SQS stopped on {} (queues and messages kept in {})", sqs.endpoint(),
                options.dataDir().resolve("sqs"));
        sqs.stop();
    }

    /** Ends an SQS outage: SQS starts again on the same port with the same queues and messages. */
    public synchronized void startSqs() {
        if (closed || sqs.running()) {
            return;
        }
        sqs.restart();
        LOG.warn("SQS outage over: SQS serving again on {}", sqs.endpoint());
    }

    /** False during an SQS outage. */
    public boolean sqsRunning() {
        return sqs.running();
    }

    public PipelineSettings settings() {
        return settings;
    }

    public LocalOptions options() {
        return options;
    }

    public EmbeddedS3 s3() {
        return s3;
    }

    public EmbeddedSqs sqs() {
        return sqs;
    }

    public LocalLambda lambda() {
        return lambda;
    }

    public NotificationService notifications() {
        return notifications;
    }

    /** The upload queue and its DLQ. */
    public EmbeddedSqs.QueuePair queues() {
        return queues;
    }

    public String resultsQueueUrl() {
        return resultsQueueUrl;
    }

    /** The upload API's endpoint, when it runs. */
    public Optional<URI> apiEndpoint() {
        return api == null ? Optional.empty() : Optional.of(api.endpoint());
    }

    /** Why the API is not running, when it is not. */
    public Optional<String> apiSkippedReason() {
        return Optional.ofNullable(apiSkippedReason);
    }

    /** The event source mapping's counters, when the worker runs. */
    public Optional<EsmStats> esmStats() {
        return esm == null ? Optional.empty() : Optional.of(esm.stats());
    }

    /** The stack's metrics now (queue attributes are asked of SQS; -1 while SQS is down). */
    public StackMetrics metrics() {
        LambdaStats.FunctionStats w = lambda.stats().function(WORKER_FUNCTION);
        NotificationService.Stats n = notifications.stats();
        if (!sqs.running()) {
            return new StackMetrics(-1, -1, -1, ageTracker == null ? Duration.ZERO : ageTracker.oldestAge(),
                    w.environments(), w.busy(), w.maxEnvironments(), w.invocations(), w.errors(), w.coldStarts(),
                    esm == null ? 0 : esm.stats().batches(), n.pending(), n.sent(), false, w.outOfMemory());
        }
        Map<QueueAttributeName, String> a = sqs.client().getQueueAttributes(b -> b.queueUrl(queues.queueUrl())
                .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
        // The DLQ's depth counts messages someone is looking at (received, not visible) too.
        Map<QueueAttributeName, String> d = sqs.client().getQueueAttributes(b -> b.queueUrl(queues.dlqUrl())
                .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
        long dlq = parse(d.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                + parse(d.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
        return new StackMetrics(parse(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)),
                parse(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)), dlq,
                ageTracker == null ? Duration.ZERO : ageTracker.oldestAge(), w.environments(), w.busy(),
                w.maxEnvironments(), w.invocations(), w.errors(), w.coldStarts(),
                esm == null ? 0 : esm.stats().batches(), n.pending(), n.sent(), true, w.outOfMemory());
    }

    private boolean loopback() {
        return options.host().equals("127.0.0.1") || options.host().equals("localhost") || options.host().equals("::1");
    }

    private static long parse(String n) {
        return n == null ? 0 : Long.parseLong(n);
    }

    /** What a user needs to know to use the stack, one line each. */
    public List<String> describe() {
        List<String> lines = new java.util.ArrayList<>();
        lines.add("S3        " + s3.endpoint() + "   bucket " + settings.bucket() + " (uploads under '"
                + settings.inputPrefix() + "', renditions under '" + settings.outputPrefix() + "')");
        lines.add("SQS       " + sqs.endpoint() + "   queue " + settings.queue().name() + ", DLQ "
                + settings.queue().dlqName() + ", results " + settings.queue().resultsName());
        lines.add(api == null ? "API       (" + apiSkippedReason + ")" : "API       " + api.endpoint());
        if (api != null) {
            lines.add("!! auth    NONE: anyone who reaches " + api.endpoint() + " may upload. A dev stack"
                    + (loopback() ? " on the loopback interface" : "") + "; deployed, every route needs IAM or JWT"
                    + " authorization (README, Security notes)");
            if (!loopback()) {
                lines.add("!! WARNING bound to " + options.host() + ", not 127.0.0.1: the anonymous upload API and S3"
                        + " are reachable from the network");
            }
        }
        lines.add("worker    " + options.workerJar().getFileName() + " in " + options.functionMode() + " mode, "
                + settings.worker().memoryMb() + " MB, " + settings.worker().timeoutSeconds() + " s, batch "
                + settings.worker().batchSize() + ", window " + settings.worker().batchingWindowSeconds()
                + " s, max concurrency " + settings.worker().maxConcurrency()
                + (options.runWorker() ? "" : " (not consuming)"));
        lines.add("data      " + options.dataDir().toAbsolutePath());
        if (options.envFile() != null) {
            lines.add("env       source " + options.envFile());
        }
        if (control != null) {
            lines.add("control   " + control.endpoint() + " (SQS outage switch: POST /sqs/outage?seconds=N with header "
                    + ControlServer.TOKEN_HEADER + ": $PHOTOPIPE_CONTROL_TOKEN from local.env)");
        }
        lines.add("credentials  AWS_ACCESS_KEY_ID=" + LocalCredentials.ACCESS_KEY_ID + " AWS_SECRET_ACCESS_KEY="
                + LocalCredentials.SECRET_ACCESS_KEY + " region " + LocalCredentials.REGION);
        return lines;
    }

    /**
     * Stops everything, in the order that loses nothing and logs no error: the event source mapping first (no new
     * batches; running invocations finish), then the execution environments and the API, then S3 (no new objects),
     * then the notification sender (undelivered notifications stay in the outbox), then SQS: its HTTP server, its
     * actors, and last its H2 store. Objects, queued messages and pending notifications stay on disk. Safe to call
     * twice, and from the shutdown hook on SIGTERM or Ctrl-C.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException | IllegalArgumentException e) {
            // the JVM is shutting down: this may be the hook itself
        }
        closeQuietly(control);
        closeQuietly(esm);
        closeQuietly(api);
        closeQuietly(lambda);
        while (!closeables.isEmpty()) { // S3, then the notifications, then SQS (pushed in the reverse order)
            AutoCloseable c = closeables.pop();
            if (c == sqs) {
                closeQuietly(esmClient);
            }
            closeQuietly(c);
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            LOG.warn("stopping {} failed: {}", c, e.toString());
        }
    }
}
