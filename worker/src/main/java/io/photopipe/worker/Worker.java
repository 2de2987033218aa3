package io.photopipe.worker;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.photopipe.worker.aws.AwsClients;
import io.photopipe.worker.aws.CallGuard;
import io.photopipe.worker.aws.S3ObjectStore;
import io.photopipe.worker.aws.SqsDeadLetterQueue;
import io.photopipe.worker.aws.SqsResultsPublisher;
import io.photopipe.worker.aws.SqsVisibilityControl;
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
import java.io.PrintStream;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;

/**
 * The worker's object graph, built once per execution environment from a {@link WorkerConfig}: SDK clients, the
 * resilience guards (shared by all invocations, so a circuit breaker remembers an outage), the image engine, the
 * metrics registry and the {@link BatchProcessor}.
 */
public final class Worker implements AutoCloseable {
    private final WorkerConfig config;
    private final AwsClients clients;
    private final CallGuard s3Guard;
    private final CallGuard sqsGuard;
    private final MeterRegistry registry;
    private final BatchProcessor batch;

    private Worker(WorkerConfig config, AwsClients clients, MeterRegistry registry, PrintStream out,
                   Warmup.Mode priming) {
        this.config = config;
        this.clients = clients;
        this.registry = registry;
        ImageEngine.checkWritable(config.settings().renditions());
        s3Guard = CallGuard.of("s3", PortException.S3_UNAVAILABLE, config.resilience());
        sqsGuard = CallGuard.of("sqs", PortException.SQS_UNAVAILABLE, config.resilience());
        gauge(registry, s3Guard);
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
                new S3ObjectStore(clients.s3(), s3Guard), engine::render, results);
        WorkerConfig.Processing p = config.processing();
        batch = new BatchProcessor(new BatchProcessor.Settings(p.concurrency(), p.safetyMargin(), p.finishMargin(),
                config.resilience().visibilityBackoff(), config.resilience().visibilityMax()),
                new MessageParser(), photos, new SqsDeadLetterQueue(clients.sqs(), config.dlqUrl(), sqsGuard),
                new SqsVisibilityControl(clients.sqs(), sqsGuard), new WorkerMetrics(registry), new OutcomeLog(out));
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
        return new Worker(config, AwsClients.create(config, credentials), registry, out, Warmup.Mode.INIT);
    }

    /** The worker of this process's environment variables (what Lambda runs). */
    public static Worker fromEnvironment() {
        WorkerConfig config = WorkerConfig.fromEnv(System::getenv);
        Warmup.Mode priming = Warmup.Mode.fromEnv(System::getenv);
        return new Worker(config, AwsClients.create(config, DefaultCredentialsProvider.builder().build()),
                MetricsRegistries.create(config.metrics(), config.aws().region()), System.out, priming);
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

    /** The S3 guard (its breaker's state is visible to tests and metrics). */
    public CallGuard s3Guard() {
        return s3Guard;
    }

    public MeterRegistry registry() {
        return registry;
    }

    @Override
    public void close() {
        clients.close();
    }
}
