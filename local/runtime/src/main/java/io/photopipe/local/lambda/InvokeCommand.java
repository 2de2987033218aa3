package io.photopipe.local.lambda;

import io.photopipe.core.FunctionEnv;
import io.photopipe.core.PipelineSettings;
import io.photopipe.local.servers.LocalCredentials;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ./photopipe local invoke FUNCTION --event FILE}: one invocation through the same child-JVM runtime as the
 * local stack (the real runtime interface client, Lambda's JVM flags and environment), printing the function's
 * response on stdout and its logs and a REPORT line on stderr, as {@code sam local invoke} does.
 */
@Command(name = "photopipe local invoke", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Invokes a function once in a fresh execution environment (a child JVM running the real Lambda",
                "runtime interface client) and prints its response. FUNCTION is 'worker' or 'api' (their jars and",
                "handlers are known), or any name with --jar and --handler.",
                "Endpoints and queue URLs come from .photopipe/local.env when ./photopipe local has written it.",
                "Exit status: 0 when the function succeeded, 1 on a function error (the error document is printed)."})
public final class InvokeCommand implements Callable<Integer> {
    static final String WORKER_JAR = "worker/target/photopipe-worker-lambda.jar";
    static final String WORKER_HANDLER = "io.photopipe.worker.WorkerHandler::handleRequest";
    static final String API_JAR = "api/target/photopipe-api-lambda.jar";
    static final String API_HANDLER = "io.photopipe.api.ApiHandler::handleRequest";

    @Parameters(index = "0", paramLabel = "FUNCTION", description = "worker, api, or a name given with --jar/--handler")
    String function;

    @Option(names = {"-e", "--event"}, paramLabel = "FILE", description = "the event JSON ('-' for stdin; default {})")
    String event;

    @Option(names = "--jar", paramLabel = "PATH", description = "the deployment jar (default for worker: " + WORKER_JAR + ")")
    Path jar;

    @Option(names = "--handler", description = "package.Class::method (default for worker: " + WORKER_HANDLER + ")")
    String handler;

    @Option(names = "--memory", paramLabel = "MB", description = "memory size (default: from the settings)")
    Integer memoryMb;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "timeout (default: from the settings)")
    Integer timeoutSeconds;

    @Option(names = "--env", paramLabel = "NAME=VALUE", description = "an environment variable (repeatable)")
    Map<String, String> env = new LinkedHashMap<>();

    @Option(names = "--settings", paramLabel = "FILE", description = "photopipe.json (default: ./photopipe.json if present)")
    Path settingsFile;

    @Option(names = "--local-env", paramLabel = "FILE", description = "the stack's env file (default: .photopipe/local.env)")
    Path localEnvFile = Path.of(".photopipe", "local.env");

    @Option(names = "--in-process", description = "run the handler in this JVM instead of a child JVM (faster, less faithful)")
    boolean inProcess;

    @Option(names = "--log-dir", paramLabel = "DIR", description = "also write the environment's output to DIR/FUNCTION-1.log")
    Path logDir;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private final PrintStream out;
    private final PrintStream err;

    public InvokeCommand() {
        this(System.out, System.err);
    }

    InvokeCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new InvokeCommand()).execute(args));
    }

    @Override
    public Integer call() throws IOException {
        PipelineSettings settings = settingsFile != null ? PipelineSettings.load(settingsFile)
                : Files.isRegularFile(Path.of("photopipe.json")) ? PipelineSettings.load(Path.of("photopipe.json"))
                : PipelineSettings.defaults();
        Map<String, String> local = readEnvFile(localEnvFile);
        FunctionConfig fn = function(settings, local);
        byte[] payload = readEvent();
        LambdaOptions options = (inProcess ? LambdaOptions.inProcess() : LambdaOptions.defaults())
                .withLogDirectory(logDir);
        try (LocalLambda lambda = LocalLambda.start(options)) {
            lambda.register(fn);
            InvokeResult r = lambda.invoke(fn.name(), payload);
            err.printf("REPORT %s %s Init Duration: %s Duration: %.2f ms Memory Size: %d MB%s%n", fn.name(),
                    r.requestId(), r.initDuration() == null ? "-" : String.format("%.2f ms",
                            r.initDuration().toNanos() / 1e6), r.duration().toNanos() / 1e6, fn.memoryMb(),
                    r.ok() ? "" : " Error Type: " + r.errorType());
            out.println(r.payloadText());
            out.flush();
            return r.ok() ? 0 : 1;
        }
    }

    private FunctionConfig function(PipelineSettings s, Map<String, String> local) {
        String sqsEndpoint = local.getOrDefault("AWS_ENDPOINT_URL_SQS", "http://127.0.0.1:9324");
        Map<String, String> environment = new LinkedHashMap<>();
        String defaultJar;
        String defaultHandler;
        int memory;
        int timeout;
        switch (function) {
            case "worker" -> {
                defaultJar = WORKER_JAR;
                defaultHandler = WORKER_HANDLER;
                memory = s.worker().memoryMb();
                timeout = s.worker().timeoutSeconds();
                String queueBase = sqsEndpoint + "/" + LocalCredentials.ACCOUNT_ID + "/";
                environment.putAll(FunctionEnv.worker(s,
                        local.getOrDefault("PHOTOPIPE_DLQ_URL", queueBase + s.queue().dlqName()),
                        local.getOrDefault("PHOTOPIPE_RESULTS_QUEUE_URL", queueBase + s.queue().resultsName())));
            }
            case "api" -> {
                defaultJar = API_JAR;
                defaultHandler = API_HANDLER;
                memory = s.api().memoryMb();
                timeout = s.api().timeoutSeconds();
                environment.put(FunctionEnv.BUCKET, s.bucket());
            }
            default -> {
                if (jar == null || handler == null) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "function '" + function
                            + "' is not worker or api: give its --jar and --handler");
                }
                defaultJar = null;
                defaultHandler = null;
                memory = 512;
                timeout = 30;
            }
        }
        environment.put("AWS_ENDPOINT_URL_S3", local.getOrDefault("AWS_ENDPOINT_URL_S3", "http://127.0.0.1:9000"));
        environment.put("AWS_ENDPOINT_URL_SQS", sqsEndpoint);
        environment.putAll(env);
        Path code = jar != null ? jar : Path.of(defaultJar);
        if (!Files.exists(code)) {
            throw new CommandLine.ParameterException(spec.commandLine(), code + " does not exist; build it first"
                    + (function.equals("worker") ? " (./mvnw -pl worker -am package -DskipTests)" : ""));
        }
        return new FunctionConfig(function, code, handler != null ? handler : defaultHandler,
                memoryMb != null ? memoryMb : memory, timeoutSeconds != null ? timeoutSeconds : timeout, environment);
    }

    private byte[] readEvent() throws IOException {
        if (event == null) {
            return "{}".getBytes(StandardCharsets.UTF_8);
        }
        if (event.equals("-")) {
            return System.in.readAllBytes();
        }
        Path p = Path.of(event);
        if (!Files.isRegularFile(p)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--event " + event + ": no such file");
        }
        return Files.readAllBytes(p);
    }

    /** The {@code export NAME='value'} (or NAME=value) lines of an env file; empty when there is none. */
    static Map<String, String> readEnvFile(Path file) throws IOException {
        Map<String, String> vars = new LinkedHashMap<>();
        if (file == null || !Files.isRegularFile(file)) {
            return vars;
        }
        for (String line : Files.readAllLines(file)) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            if (l.startsWith("export ")) {
                l = l.substring(7).strip();
            }
            int eq = l.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String v = l.substring(eq + 1);
            if (v.length() >= 2 && v.startsWith("'") && v.endsWith("'")) {
                v = v.substring(1, v.length() - 1).replace("'\\''", "'");
            } else if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
                v = v.substring(1, v.length() - 1);
            }
            vars.put(l.substring(0, eq), v);
        }
        return vars;
    }
}
