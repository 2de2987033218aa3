package io.photopipe.worker;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.photopipe.worker.aws.AwsClients;
import io.photopipe.worker.aws.CallGuard;
import io.photopipe.worker.aws.S3ObjectStore;
import io.photopipe.worker.aws.SqsDeadLetterQueue;
import io.photopipe.worker.aws.SqsResultsPublisher;
import io.photopipe.worker.aws.SqsSourceQueue;
import io.photopipe.worker.engine.EngineConfig;
import io.photopipe.worker.engine.ImageEngine;
import io.photopipe.worker.messages.MessageParser;
import io.photopipe.worker.observe.MetricsRegistries;
import io.photopipe.worker.observe.OutcomeLog;
import io.photopipe.worker.observe.WorkerMetrics;
import io.photopipe.worker.ports.PortException;
import io.photopipe.worker.ports.ResultsPublisher;
import io.photopipe.worker.process.BatchProcessor;
import io.photopipe.worker.process.PhotoProcessor;
import io.photopipe.worker.process.Renderer;
import java.io.PrintStream;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;

/**
 * The worker's object graph, built once per execution environment from a {@link WorkerConfig}: SDK clients, the
 * resilience guards (shared by all invocations, so a circuit breaker remembers an outage: one for S3 reads, one for
 * S3 writes, one for SQS), the image engine, the metrics registry and the {@link BatchProcessor}.
 */
public final class Worker implements AutoCloseable {
    /**
     * Exit status of an environment ended on purpose because abandoned renders were still running in it (Lambda
     * logs "Runtime exited with error: exit status 75"; 75 is EX_TEMPFAIL).
     */
    public static final int RECYCLE_EXIT_STATUS = 75;

    /**
     * What tests and tools may replace.
     *
     * @param renderer wraps the image engine's renderer
     * @param recycle  ends this execution environment; by default {@link #exitProcess()}
     */
    public record Hooks(UnaryOperator<Renderer> renderer, Runnable recycle) {
        /** The engine as it is, and a real exit. */
        public static final Hooks DEFAULT = new Hooks(UnaryOperator.identity(), Worker::exitProcess);
    }

    private final WorkerConfig config;
    private final AwsClients clients;
    private final CallGuard s3Reads;
    private final CallGuard s3Writes;
    private final CallGuard sqsGuard;
    private final MeterRegistry registry;
    private final BatchProcessor batch;
    private final Runnable recycle;

    private Worker(WorkerConfig config, AwsClients clients, MeterRegistry registry, PrintStream out, Hooks hooks,
                   Warmup.Mode priming) {
        this.config = config;
        this.clients = clients;
        this.registry = registry;
        this.recycle = hooks.recycle();
        ImageEngine.checkWritable(config.settings().renditions());
        s3Reads = CallGuard.of("s3-read", PortException.S3_UNAVAILABLE, config.resilience());
        s3Writes = CallGuard.of("s3-write", PortException.S3_UNAVAILABLE, config.resilience());
        sqsGuard = CallGuard.of("sqs", PortException.SQS_UNAVAILABLE, config.resilience());
        gauge(registry, s3Reads);
        gauge(registry, s3Writes);
        gauge(registry, sqsGuard);

        ImageEngine engine = new ImageEngine(EngineConfig.of(config.settings()));
        Warmup.atInit(engine, config.settings().renditions(), priming);
        ResultsPublisher results = config.resultsUrl()
                .<ResultsPublisher>map(url -> new SqsResultsPublisher(clients.sqs(), url, sqsGuard))
                .orElse(ResultsPublisher.NONE);
        var settings = config.settings();
        PhotoProcessor photos = new PhotoProcessor(new PhotoProcessor.Settings(settings.layout(),
                settings.renditions(), settings.presetsHash(), settings.limits().maxObjectBytes(),
                config.processing().cacheControl()),
                new S3ObjectStore(clients.s3(), s3Reads, s3Writes), hooks.renderer().apply(engine::render), results);
        WorkerConfig.Processing p = config.processing();
        WorkerConfig.Resilience r = config.resilience();
        batch = new BatchProcessor(new BatchProcessor.Settings(p.concurrency(), p.safetyMargin(), p.finishMargin(),
                r.visibilityBackoff(), r.visibilityMax(), r.circuitOpen(), p.maxReceiveCount(), p.abandonedGrace(),
                config.environment()),
                new MessageParser(), photos, new SqsDeadLetterQueue(clients.sqs(), config.dlqUrl(), sqsGuard),
                new SqsSourceQueue(clients.sqs(), sqsGuard), new WorkerMetrics(registry), new OutcomeLog(out));
    }

    /**
     * A worker for a configuration.
     *
     * @param credentials the default chain in Lambda; fixed local credentials in tests
     * @param registry    where metrics go
     * @param out         where the JSON outcome lines go (standard output in Lambda)
     */
    public static Worker create(WorkerConfig config, AwsCredentialsProvider credentials, MeterRegistry registry,
                                PrintStream out) {
        return create(config, credentials, registry, out, Hooks.DEFAULT);
    }

    /** A worker with some parts replaced (tests, tools). */
    public static Worker create(WorkerConfig config, AwsCredentialsProvider credentials, MeterRegistry registry,
                                PrintStream out, Hooks hooks) {
        return new Worker(config, AwsClients.create(config, credentials), registry, out, hooks, Warmup.Mode.INIT);
    }

    /** The worker of this process's environment variables (what Lambda runs). */
    public static Worker fromEnvironment() {
        WorkerConfig config = WorkerConfig.fromEnv(System::getenv);
        Warmup.Mode priming = Warmup.Mode.fromEnv(System::getenv);
        return new Worker(config, AwsClients.create(config, DefaultCredentialsProvider.builder().build()),
                MetricsRegistries.create(config.metrics(), config.aws().region()), System.out, Hooks.DEFAULT, priming);
    }

    private static void gauge(MeterRegistry registry, CallGuard guard) {
        // 0 closed, 1 open, 2 half-open (and the other states in declaration order).
        Gauge.builder("photopipe.circuit.state", guard, g -> g.breaker().getState().getOrder())
                .description("circuit breaker state: 0 closed, 1 open, 2 half-open")
                .tag("service", guard.breaker().getName()).register(registry);
    }

    public WorkerConfig config() {
        return config;
    }

    public BatchProcessor batch() {
        return batch;
    }

    /** The guard of S3 reads (its breaker's state is visible to tests and metrics). */
    public CallGuard s3Reads() {
        return s3Reads;
    }

    /** The guard of S3 writes. */
    public CallGuard s3Writes() {
        return s3Writes;
    }

    /**
     * Ends this execution environment, because renders abandoned at a deadline are still running in it and
     * {@code cancel(true)} cannot stop CPU-bound or native work. Lambda documents that when the function crashes or
     * times out during an invocation it resets the execution environment, and that a later invocation initialises a
     * new one ("Failures during the invoke phase",
     * https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html#runtimes-lifecycle-invoke-with-errors);
     * a handler that throws does not get a new environment (the runtime reports the error and stays, with the
     * zombie), so the process exits ("Runtime exited with error: exit status 75", Runtime.ExitError). The invocation
     * then fails as a whole, so Lambda's event source mapping deletes none of its messages
     * (https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html): the batch settled them first
     * (moved ones deleted, the rest made visible again at once).
     */
    public void recycle() {
        recycle.run();
    }

    /** The default {@link Hooks#recycle}: flush what can be flushed (shutdown hooks, 2 s at most), then exit. */
    static void exitProcess() {
        System.out.flush();
        Thread.ofPlatform().daemon().name("photopipe-recycle-watchdog").start(() -> {
            try {
                Thread.sleep(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Runtime.getRuntime().halt(RECYCLE_EXIT_STATUS);
        });
        System.exit(RECYCLE_EXIT_STATUS);
    }

    public MeterRegistry registry() {
        return registry;
    }

    @Override
    public void close() {
        clients.close();
    }
}
