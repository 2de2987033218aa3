package io.photopipe.local.stack;

import io.photopipe.core.PipelineSettings;
import io.photopipe.core.SettingsException;
import io.photopipe.local.lambda.LambdaOptions;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./photopipe local}: starts the local stack and keeps it running, with live metrics, until Ctrl-C. */
@Command(name = "photopipe local", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Starts the whole pipeline offline in this process and keeps it running until Ctrl-C: S3 with "
                + "event notifications, SQS with the upload queue and its DLQ, the worker function behind Lambda's SQS "
                + "event source mapping (child JVMs running the real Lambda runtime client) and the upload API.",
                "Writes .photopipe/local.env: `source` it and any AWS SDK talks to the stack; `./photopipe aws ...` "
                        + "runs the AWS CLI against it.",
                "Run one invocation: ./photopipe local invoke FUNCTION --event FILE"},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:stopped by Ctrl-C", "1:could not start (the message says why)", "2:bad arguments"})
public final class LocalCommand implements Callable<Integer> {

    @Option(names = "--settings", paramLabel = "FILE",
            description = "pipeline settings (JSON, merged over the defaults); default: photopipe.json at the "
                    + "project root when it exists")
    Path settingsFile;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "objects, queues and logs (default: .photopipe/)")
    Path dataDir;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "interface to bind (default: ${DEFAULT-VALUE})")
    String host;

    @Option(names = "--s3-port", defaultValue = "9000", description = "S3 port (default: ${DEFAULT-VALUE})")
    int s3Port;

    @Option(names = "--sqs-port", defaultValue = "9324", description = "SQS port (default: ${DEFAULT-VALUE})")
    int sqsPort;

    @Option(names = "--api-port", defaultValue = "8080", description = "upload API port (default: ${DEFAULT-VALUE})")
    int apiPort;

    @Option(names = "--s3-faults", paramLabel = "SPEC", defaultValue = "",
            description = "inject S3 faults, e.g. slowdown=0.1,error=0.05,latency=200ms@0.2 (default: none)")
    String s3Faults;

    @Option(names = "--in-process", description = "run handlers in this JVM instead of child JVMs (faster, less "
            + "faithful: no memory limit, no timeout kill)")
    boolean inProcess;

    @Option(names = "--no-worker", description = "do not consume the upload queue (messages stay queued)")
    boolean noWorker;

    @Option(names = "--control-port", paramLabel = "PORT", defaultValue = "-1",
            description = "serve the control endpoint (SQS outage switch, health, metrics) on 127.0.0.1:PORT, 0 for a "
                    + "free port; its URL and token go to local.env (default: off)")
    int controlPort;

    @Option(names = "--metrics-every", paramLabel = "SECONDS", defaultValue = "2",
            description = "metrics refresh interval (default: ${DEFAULT-VALUE})")
    int metricsEvery;

    private final PrintStream out = System.out;

    @Override
    public Integer call() throws Exception {
        Path root = LocalOptions.findProjectRoot(Path.of(""));
        PipelineSettings settings = loadSettings(root, settingsFile);
        LocalOptions options = LocalOptions.defaults(root);
        if (dataDir != null) {
            options = options.withDataDir(dataDir).withEnvFile(dataDir.resolve("local.env"));
        }
        options = new LocalOptions(root, options.dataDir(), host, s3Port, sqsPort, apiPort,
                inProcess ? LambdaOptions.Mode.IN_PROCESS : LambdaOptions.Mode.CHILD_JVM, null, null, s3Faults,
                !noWorker, options.envFile(), controlPort);

        LocalStack stack;
        try {
            stack = LocalStack.start(settings, options);
        } catch (RuntimeException e) {
            System.err.println("photopipe local: could not start: " + e.getMessage());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        java.util.concurrent.atomic.AtomicBoolean stopping = new java.util.concurrent.atomic.AtomicBoolean();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopping.set(true);
            out.println();
            out.println("stopping (objects, queued messages and pending notifications stay in "
                    + stack.options().dataDir() + ")");
            stack.close(); // in order: the ESM and the environments, the notifications, then SQS and its store
            out.println("stopped");
            stopped.countDown();
        }, "photopipe-local-shutdown"));

        out.println("photopipe local stack is up:");
        stack.describe().forEach(l -> out.println("  " + l));
        out.println("Try:  ./photopipe aws s3 cp some.jpg s3://" + settings.bucket() + "/" + settings.inputPrefix()
                + "   then   ./photopipe aws s3 ls --recursive s3://" + settings.effectiveOutputBucket() + "/"
                + settings.outputPrefix());
        out.println("Ctrl-C to stop.");
        boolean terminal = System.console() != null;
        String lastLine = "";
        long lastPrinted = 0;
        while (stopped.getCount() > 0) {
            String line;
            try {
                line = stack.metrics().line();
            } catch (RuntimeException e) {
                if (stopping.get()) {
                    break;
                }
                line = "metrics unavailable: " + e.getMessage();
            }
            if (terminal) {
                out.print("\r\033[2K" + line);
                out.flush();
            } else if (!line.equals(lastLine) || System.nanoTime() - lastPrinted > Duration.ofMinutes(1).toNanos()) {
                out.println(java.time.LocalTime.now().withNano(0) + " " + line);
                lastPrinted = System.nanoTime();
            }
            lastLine = line;
            stopped.await(Math.max(1, metricsEvery), TimeUnit.SECONDS);
        }
        return 0;
    }

    /**
     * Server and function logs at WARN on the console (function output is in the data directory's {@code logs/}),
     * so the live metrics stay readable; {@code -Dorg.slf4j.simpleLogger.defaultLogLevel=info} in
     * PHOTOPIPE_JAVA_OPTS brings them back.
     */
    public static void quietLogs() {
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
        System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "HH:mm:ss");
    }

    /** The settings file if given, else photopipe.json at the root if present, else the defaults. */
    public static PipelineSettings loadSettings(Path root, Path file) {
        if (file != null) {
            return PipelineSettings.load(file);
        }
        Path standard = root.resolve("photopipe.json");
        return Files.isRegularFile(standard) ? PipelineSettings.load(standard) : PipelineSettings.defaults();
    }

    public static void main(String[] args) {
        quietLogs();
        CommandLine cli = new CommandLine(new LocalCommand());
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof SettingsException || e instanceof IllegalStateException
                    || e instanceof IllegalArgumentException) {
                cmd.getErr().println("photopipe local: " + e.getMessage());
                return 1;
            }
            throw e;
        });
        System.exit(cli.execute(args));
    }
}
