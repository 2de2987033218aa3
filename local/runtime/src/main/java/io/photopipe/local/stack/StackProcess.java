package io.photopipe.local.stack;

import io.photopipe.local.lambda.internal.RicClasspath;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./photopipe local} in a child JVM that another program drives from outside, as a user would: SIGTERM and
 * SIGKILL it, restart it on the same data directory and ports, SIGKILL its worker environments, switch SQS off and
 * on through its control endpoint. Its output is appended to {@code stack.log} in the data directory. Used by
 * {@code ./photopipe chaos} and the shutdown tests.
 */
public final class StackProcess implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /**
     * How to launch it.
     *
     * @param dataDir      the stack's data directory (objects, queues, logs, {@code local.env})
     * @param settingsFile pipeline settings, or null for the project's
     * @param s3Faults     a fault spec for S3 ({@code ""} for none)
     * @param s3Port       0 for a free port at the first start (kept across restarts)
     * @param sqsPort      0 for a free port at the first start (kept across restarts)
     * @param jvmOptions   extra options of the stack's JVM (e.g. {@code -Xmx1g})
     */
    public record Launch(Path dataDir, Path settingsFile, String s3Faults, int s3Port, int sqsPort,
                         List<String> jvmOptions) {
        public Launch {
            Objects.requireNonNull(dataDir, "dataDir");
            s3Faults = s3Faults == null ? "" : s3Faults;
            jvmOptions = jvmOptions == null ? List.of() : List.copyOf(jvmOptions);
        }
    }

    private final Launch launch;
    private final Process process;
    private final Map<String, String> env;

    private StackProcess(Launch launch, Process process, Map<String, String> env) {
        this.launch = launch;
        this.process = process;
        this.env = env;
    }

    /** Starts the stack and returns once it serves (its {@code local.env} is written), or fails with its log tail. */
    public static StackProcess start(Launch launch) {
        Path data = launch.dataDir().toAbsolutePath();
        Path envFile = data.resolve("local.env");
        Path log = data.resolve("stack.log");
        try {
            Files.createDirectories(data);
            Files.deleteIfExists(envFile); // a file left by the previous run must not be mistaken for this one's
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.add("-D" + RicClasspath.PROPERTY + "=" + RicClasspath.jars().getFirst().getParent());
        cmd.addAll(launch.jvmOptions());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(LocalCommand.class.getName());
        cmd.addAll(List.of("--data-dir", data.toString(), "--s3-port", Integer.toString(launch.s3Port()),
                "--sqs-port", Integer.toString(launch.sqsPort()), "--api-port", "0", "--control-port", "0",
                "--metrics-every", "5"));
        if (launch.settingsFile() != null) {
            cmd.addAll(List.of("--settings", launch.settingsFile().toAbsolutePath().toString()));
        }
        if (!launch.s3Faults().isEmpty()) {
            cmd.addAll(List.of("--s3-faults", launch.s3Faults()));
        }
        Process p;
        try {
            p = new ProcessBuilder(cmd).directory(LocalOptions.findProjectRoot(Path.of("")).toFile())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the local stack: " + e.getMessage(), e);
        }
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!Files.exists(envFile)) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                p.destroyForcibly();
                throw new IllegalStateException("the local stack did not start (exit " + (p.isAlive() ? "-" : p.exitValue())
                        + "); the end of " + log + ":\n" + tail(log, 40));
            }
            sleep(Duration.ofMillis(100));
        }
        return new StackProcess(launch, p, readEnv(envFile));
    }

    /**
     * Starts it again on the same data directory and the same S3 and SQS ports (this one must have exited), so
     * clients configured for the first start work against the second.
     */
    public StackProcess restart() {
        if (process.isAlive()) {
            throw new IllegalStateException("the stack (pid " + pid() + ") is still running");
        }
        return start(new Launch(launch.dataDir(), launch.settingsFile(), launch.s3Faults(), s3Endpoint().getPort(),
                sqsEndpoint().getPort(), launch.jvmOptions()));
    }

    public long pid() {
        return process.pid();
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** A variable of the stack's {@code local.env}. */
    public String env(String name) {
        return env.get(name);
    }

    public URI s3Endpoint() {
        return URI.create(env.get("AWS_ENDPOINT_URL_S3"));
    }

    public URI sqsEndpoint() {
        return URI.create(env.get("AWS_ENDPOINT_URL_SQS"));
    }

    public Path dataDir() {
        return launch.dataDir();
    }

    /** The stack's output so far (all starts on this data directory). */
    public Path log() {
        return launch.dataDir().resolve("stack.log");
    }

    /**
     * Calls the control endpoint, e.g. {@code control("POST", "/sqs/outage?seconds=20")}; returns the JSON body.
     *
     * @throws IllegalStateException when it answers anything but 200
     */
    public String control(String method, String path) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(env.get("PHOTOPIPE_CONTROL_URL") + path))
                .timeout(Duration.ofSeconds(60)).header(ControlServer.TOKEN_HEADER, env.get("PHOTOPIPE_CONTROL_TOKEN"))
                .method(method, HttpRequest.BodyPublishers.noBody()).build();
        try {
            HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException(method + " " + path + " answered " + r.statusCode() + ": " + r.body());
            }
            return r.body();
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** SIGTERM: the stack stops in order (as on Ctrl-C). */
    public void terminate() {
        process.destroy();
    }

    /**
     * SIGKILL, as a crash or a power cut: the stack and its execution environments die at once (the environments
     * are its children; without this they would outlive it until their Runtime API calls fail).
     */
    public void kill() {
        List<ProcessHandle> children = process.toHandle().descendants().toList();
        process.destroyForcibly();
        children.forEach(ProcessHandle::destroyForcibly);
    }

    /** Waits for the process to exit; its exit code, or -1 if it is still running after {@code timeout}. */
    public int awaitExit(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** SIGTERM, then SIGKILL if it has not stopped within a minute. */
    @Override
    public void close() {
        if (process.isAlive()) {
            terminate();
            if (awaitExit(Duration.ofSeconds(60)) < 0) {
                kill();
            }
        }
    }

    private static Map<String, String> readEnv(Path file) {
        Map<String, String> env = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (line.startsWith("export ") && line.contains("='") && line.endsWith("'")) {
                    int eq = line.indexOf("='");
                    env.put(line.substring(7, eq), line.substring(eq + 2, line.length() - 1).replace("'\\''", "'"));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return env;
    }

    private static String tail(Path log, int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "StackProcess[pid " + pid() + ", " + launch.dataDir() + "]";
    }
}
