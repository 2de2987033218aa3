package io.photopipe.local.lambda.internal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.photopipe.local.lambda.FunctionConfig;
import io.photopipe.local.lambda.LambdaOptions;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An execution environment as a child JVM running the real Lambda runtime interface client, with its own Runtime
 * API server.
 *
 * <p>Why one small server per environment: in Lambda each execution environment has its own Runtime API endpoint
 * ({@code AWS_LAMBDA_RUNTIME_API}, a host:port), and the runtime's {@code GET .../invocation/next} carries nothing
 * that says which environment asks. The runtime client reads only host:port, so a shared server could not route an
 * invocation to the one environment that should run it. A JDK {@code HttpServer} on an ephemeral port costs a
 * socket and a few virtual threads.
 *
 * <p>Runtime API: <a href="https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html">Using the Lambda runtime
 * API for custom runtimes</a>.
 *
 * <p>Memory is enforced as Lambda enforces MemorySize: the JVM's resident memory (and its children's) is sampled
 * every {@link ResidentMemory#SAMPLE_EVERY}, and an environment above the function's memory is killed with SIGKILL,
 * as the kernel's OOM killer does in Lambda. The invocation then fails with {@code Runtime.OutOfMemory}, the log has
 * Lambda's lines ({@code RequestId: ... Error: Runtime exited with error: signal: killed}, {@code Runtime.ExitError},
 * and a REPORT with {@code Max Memory Used} equal to the memory size, {@code Status: error} and
 * {@code Error Type: Runtime.OutOfMemory}), and an event source mapping's messages come back after their visibility
 * timeout. Every REPORT line carries the invocation's peak as {@code Max Memory Used}.
 */
public final class ChildJvmEnvironment implements Environment {
    private static final Logger LOG = LoggerFactory.getLogger(ChildJvmEnvironment.class);
    private static final String PREFIX = "/2018-06-01/runtime";
    /**
     * Lambda gives the Init phase 10 s; when it overruns, Init is retried within the first invocation under the
     * function's timeout (https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html#runtimes-lifecycle-ib).
     * We allow the sum, so a slow JVM start on a busy machine is not a failure.
     */
    private static final Duration INIT_LIMIT = Duration.ofSeconds(10);

    private final FunctionConfig fn;
    private final String id;
    private final String region;
    private final HttpServer server;
    private final ExecutorService httpThreads = Executors.newVirtualThreadPerTaskExecutor();
    private final Process process;
    private final EnvironmentLog log;
    private final AotCache.Plan aot;
    private final java.util.concurrent.atomic.AtomicBoolean aotPublished = new java.util.concurrent.atomic.AtomicBoolean();
    private final long startNanos = System.nanoTime();
    private final CompletableFuture<Duration> init = new CompletableFuture<>();
    private final BlockingQueue<Pending> next = new LinkedBlockingQueue<>();
    private final AtomicReference<Pending> current = new AtomicReference<>();
    private volatile boolean usable = true;
    private volatile boolean closing;
    private final ResidentMemory memory;
    /** Peak resident kB of the invocation running (or last run). */
    private final AtomicLong peakKb = new AtomicLong();
    /** Set just before the memory watch kills the process. */
    private volatile long outOfMemoryKb;

    /** One invocation between {@link #invoke} and the runtime. */
    private static final class Pending {
        final String requestId;
        final byte[] payload;
        final long deadlineMs;
        final CompletableFuture<Outcome> reply = new CompletableFuture<>();
        volatile long dispatchedNanos;

        Pending(String requestId, byte[] payload, long deadlineMs) {
            this.requestId = requestId;
            this.payload = payload;
            this.deadlineMs = deadlineMs;
        }
    }

    private ChildJvmEnvironment(FunctionConfig fn, String id, LambdaOptions options, int port, List<Path> ricJars,
                                Map<String, String> credentials) throws IOException {
        this.fn = fn;
        this.id = id;
        this.region = options.region();
        this.server = HttpServer.create(new InetSocketAddress(options.host(), port), 16);
        server.setExecutor(httpThreads);
        server.createContext(PREFIX + "/", this::handle);
        server.start();
        String runtimeApi = options.host() + ":" + server.getAddress().getPort();
        this.log = EnvironmentLog.open(fn.name(), id, options.logDirectory());
        this.aot = ChildJvmCommand.aotPlan(fn, options, ricJars);
        ProcessBuilder pb = new ProcessBuilder(ChildJvmCommand.command(fn, options, ricJars, aot)).redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().putAll(ChildJvmCommand.environment(fn, options, runtimeApi, credentials));
        try {
            this.process = pb.start();
        } catch (IOException e) {
            server.stop(0);
            httpThreads.shutdownNow();
            log.close();
            AotCache.trained(aot); // never started: nothing was trained
            throw e;
        }
        Thread.ofVirtual().name("lambda-log-" + id).start(this::pumpOutput);
        this.memory = new ResidentMemory(process.toHandle());
        if (ResidentMemory.supported()) {
            Thread.ofVirtual().name("lambda-memory-" + id).start(this::watchMemory);
        }
        process.onExit().thenRun(this::exited).thenRun(this::publishAot);
        LOG.debug("{}: started pid {} with Runtime API {}", id, process.pid(), runtimeApi);
    }

    /** Launches the JVM; its Init phase runs while the first invocation waits. */
    public static ChildJvmEnvironment start(FunctionConfig fn, String id, LambdaOptions options, int port,
                                            List<Path> ricJars, Map<String, String> credentials) {
        try {
            return new ChildJvmEnvironment(fn, id, options, port, ricJars, credentials);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start an execution environment for " + fn.name() + ": "
                    + e.getMessage(), e);
        }
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public long pid() {
        return process.pid();
    }

    @Override
    public boolean usable() {
        return usable && process.isAlive();
    }

    @Override
    public Outcome invoke(String requestId, byte[] payload) {
        Duration initDuration = null;
        if (!init.isDone()) {
            long limitMs = INIT_LIMIT.toMillis() + fn.timeoutSeconds() * 1000L;
            try {
                initDuration = init.get(limitMs, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                log.line("INIT_REPORT Init Duration: " + limitMs + " ms Phase: init Status: timeout");
                kill();
                return new Outcome(false, "Sandbox.Timedout", LambdaErrors.timeout(requestId, fn.timeoutSeconds()),
                        Duration.ofMillis(limitMs), Duration.ZERO, true, false);
            } catch (ExecutionException e) {
                usable = false;
                kill();
                InitFailure f = e.getCause() instanceof InitFailure x ? x
                        : new InitFailure("Runtime.Unknown", LambdaErrors.document("Runtime.Unknown",
                                String.valueOf(e.getCause())));
                return new Outcome(false, f.errorType, f.document, sinceStart(), Duration.ZERO, false, f.exited);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Outcome(false, "Runtime.Unknown", LambdaErrors.document("Runtime.Unknown", "interrupted"),
                        null, Duration.ZERO, false, false);
            }
        }
        long timeoutMs = fn.timeoutSeconds() * 1000L;
        Pending p = new Pending(requestId, payload, System.currentTimeMillis() + timeoutMs);
        long t0 = System.nanoTime();
        peakKb.set(Math.max(0, memory.kilobytes()));
        log.line("START RequestId: " + requestId + " Version: $LATEST");
        next.add(p);
        if (!usable()) { // exited between init and now: exited() may have drained the queue before our add
            p.reply.complete(exitOutcome(requestId));
        }
        Outcome outcome;
        try {
            outcome = p.reply.get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            Outcome timedOut = new Outcome(false, "Sandbox.Timedout", LambdaErrors.timeout(requestId, fn.timeoutSeconds()),
                    null, Duration.ofMillis(timeoutMs), true, false);
            if (p.reply.complete(timedOut)) {
                // Lambda stops the environment that overran; the next invocation gets a fresh one
                usable = false;
                kill();
            }
            outcome = p.reply.join();
        } catch (ExecutionException | InterruptedException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            outcome = new Outcome(false, "Runtime.Unknown", LambdaErrors.document("Runtime.Unknown", e.toString()),
                    null, Duration.ZERO, false, false);
        }
        Duration took = p.dispatchedNanos == 0 ? Duration.ofNanos(System.nanoTime() - t0)
                : Duration.ofNanos(System.nanoTime() - p.dispatchedNanos);
        if (outcome.timedOut()) {
            took = outcome.duration();
        }
        if (outcome.crashed()) {
            // what Lambda logs for a runtime that died mid-invocation (the kernel's OOM kill included)
            log.line("RequestId: " + requestId + " Error: Runtime exited with error: " + exitDescription());
            log.line("Runtime.ExitError");
        }
        long maxUsedMb = "Runtime.OutOfMemory".equals(outcome.errorType()) ? fn.memoryMb()
                : Math.min(fn.memoryMb(), (peakKb.get() + 1023) / 1024);
        log.line("END RequestId: " + requestId);
        log.line(String.format(java.util.Locale.ROOT, "REPORT RequestId: %s\tDuration: %.2f ms\tBilled Duration: %d ms\t"
                        + "Memory Size: %d MB\tMax Memory Used: %d MB%s%s", requestId, took.toNanos() / 1e6,
                (long) Math.ceil(took.toNanos() / 1e6), fn.memoryMb(), maxUsedMb,
                initDuration == null ? "" : String.format(java.util.Locale.ROOT, "\tInit Duration: %.2f ms",
                        initDuration.toNanos() / 1e6),
                outcome.timedOut() ? "\tStatus: timeout" : outcome.crashed() ? "\tStatus: error\tError Type: "
                        + outcome.errorType() : ""));
        return new Outcome(outcome.ok(), outcome.errorType(), outcome.payload(), initDuration, took,
                outcome.timedOut(), outcome.crashed());
    }

    @Override
    public void close() {
        closing = true;
        usable = false;
        if (aot.training() != null) {
            awaitTrainingExit();
        }
        kill();
        publishAot(); // now, not only from onExit: our own JVM may be exiting
        server.stop(0);
        httpThreads.shutdownNow();
        log.close();
    }

    // ---- the Runtime API --------------------------------------------------------------------------------------

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath().substring(PREFIX.length());
            String method = ex.getRequestMethod();
            if (method.equals("GET") && path.equals("/invocation/next")) {
                next(ex);
            } else if (method.equals("POST") && path.equals("/init/error")) {
                byte[] body = ex.getRequestBody().readAllBytes();
                String type = LambdaErrors.errorTypeOf(body, ex.getRequestHeaders().getFirst("Lambda-Runtime-Function-Error-Type"));
                log.line("INIT_REPORT Init Duration: " + sinceStart().toMillis() + " ms Phase: init Status: error Error Type: " + type);
                init.completeExceptionally(new InitFailure(type, body));
                usable = false;
                reply(ex, 202, "{\"status\":\"OK\"}");
            } else if (method.equals("POST") && path.startsWith("/invocation/")) {
                String[] parts = path.split("/");
                // ["", "invocation", "<id>", "response"|"error"]
                if (parts.length != 4 || !(parts[3].equals("response") || parts[3].equals("error"))) {
                    reply(ex, 404, "{\"errorType\":\"NotFound\",\"errorMessage\":\"unknown path\"}");
                    return;
                }
                result(ex, parts[2], parts[3].equals("error"));
            } else {
                reply(ex, 404, "{\"errorType\":\"NotFound\",\"errorMessage\":\"unknown path " + path + "\"}");
            }
        }
    }

    private void next(HttpExchange ex) throws IOException {
        init.complete(sinceStart());
        Pending p;
        try {
            do {
                p = next.poll(1, TimeUnit.SECONDS);
            } while (p == null && !closing && process.isAlive());
        } catch (InterruptedException e) {
            return;
        }
        if (p == null) {
            return;
        }
        if (p.reply.isDone()) { // timed out before the runtime asked for it
            return;
        }
        current.set(p);
        p.dispatchedNanos = System.nanoTime();
        var h = ex.getResponseHeaders();
        h.set("Content-Type", "application/json");
        h.set("Lambda-Runtime-Aws-Request-Id", p.requestId);
        h.set("Lambda-Runtime-Deadline-Ms", Long.toString(p.deadlineMs));
        h.set("Lambda-Runtime-Invoked-Function-Arn", ChildJvmCommand.functionArn(region, fn.name()));
        h.set("Lambda-Runtime-Trace-Id", ChildJvmCommand.traceId());
        ex.sendResponseHeaders(200, p.payload.length == 0 ? -1 : p.payload.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(p.payload);
        }
    }

    private void result(HttpExchange ex, String requestId, boolean error) throws IOException {
        byte[] body = ex.getRequestBody().readAllBytes();
        Pending p = current.get();
        if (p == null || !p.requestId.equals(requestId)) {
            reply(ex, 400, "{\"errorType\":\"InvalidRequestID\",\"errorMessage\":\"Invalid request ID\"}");
            return;
        }
        current.compareAndSet(p, null);
        Duration took = Duration.ofNanos(System.nanoTime() - p.dispatchedNanos);
        Outcome o;
        if (error) {
            String type = LambdaErrors.errorTypeOf(body, ex.getRequestHeaders().getFirst("Lambda-Runtime-Function-Error-Type"));
            o = new Outcome(false, type, body, null, took, false, false);
        } else if (body.length > LambdaErrors.MAX_SYNC_PAYLOAD_BYTES) {
            // https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html: 6 MB each for request and response
            o = new Outcome(false, "Function.ResponseSizeTooLarge", LambdaErrors.document("Function.ResponseSizeTooLarge",
                    "Response payload size (" + body.length + " bytes) exceeded maximum allowed payload size ("
                            + LambdaErrors.MAX_SYNC_PAYLOAD_BYTES + " bytes)."), null, took, false, false);
        } else {
            o = new Outcome(true, null, body, null, took, false, false);
        }
        p.reply.complete(o);
        reply(ex, 202, "{\"status\":\"OK\"}");
    }

    private static void reply(HttpExchange ex, int status, String json) throws IOException {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, b.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(b);
        }
    }

    // ---- the process ------------------------------------------------------------------------------------------

    private void exited() {
        usable = false;
        int status = process.exitValue();
        if (!closing) {
            log.line("environment exited with status " + status + " (" + exitDescription() + ")");
        }
        String type = outOfMemoryKb > 0 ? "Runtime.OutOfMemory" : "Runtime.ExitError";
        init.completeExceptionally(new InitFailure(type, LambdaErrors.document(type,
                "Runtime exited with error: " + exitDescription()), true));
        Pending p = current.getAndSet(null);
        if (p != null) {
            p.reply.complete(exitOutcome(p.requestId));
        }
        for (Pending q; (q = next.poll()) != null; ) {
            q.reply.complete(exitOutcome(q.requestId));
        }
    }

    private Outcome exitOutcome(String requestId) {
        String type = outOfMemoryKb > 0 ? "Runtime.OutOfMemory" : "Runtime.ExitError";
        return new Outcome(false, type, LambdaErrors.exit(type, requestId, exitDescription()), null, Duration.ZERO,
                false, true);
    }

    /**
     * A JVM training the AOT cache writes it as it exits, which a SIGTERM does not give it (the runtime client's
     * native code ends the process first): with {@code closing} set, the pending {@code /next} is dropped, the
     * runtime client fails and its JVM exits normally, writing the cache. Up to {@link AotCache#EXIT_GRACE_SECONDS}.
     */
    private void awaitTrainingExit() {
        LOG.info("{}: writing the AOT cache for {} (once per jar build)...", id, fn.jar().getFileName());
        try {
            process.waitFor(AotCache.EXIT_GRACE_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Once, after the JVM exited: a training environment's cache becomes the one later environments use. */
    private void publishAot() {
        if (!process.isAlive() && aotPublished.compareAndSet(false, true)) {
            AotCache.trained(aot);
        }
    }

    /** How the process ended, as Lambda words it: {@code signal: killed} for SIGKILL, else {@code exit status N}. */
    private String exitDescription() {
        return process.isAlive() ? "exit status -1" : LambdaErrors.exitDescription(process.exitValue());
    }

    // ---- memory -----------------------------------------------------------------------------------------------

    private void watchMemory() {
        long limitKb = fn.memoryMb() * 1024L;
        while (process.isAlive() && !closing) {
            long kb = memory.kilobytes();
            if (kb > 0) {
                peakKb.accumulateAndGet(kb, Math::max);
                if (kb > limitKb) {
                    outOfMemoryKb = kb;
                    log.line(String.format(java.util.Locale.ROOT, "memory: resident %d MB above the function's %d MB:"
                            + " killed (SIGKILL), as Lambda's memory limit does", (kb + 1023) / 1024, fn.memoryMb()));
                    usable = false;
                    process.destroyForcibly();
                    return;
                }
            }
            try {
                Thread.sleep(ResidentMemory.SAMPLE_EVERY);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void kill() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(2, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private void pumpOutput() {
        try (InputStream in = process.getInputStream();
             BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                log.line(line);
            }
        } catch (IOException e) {
            // the process is gone
        }
    }

    private Duration sinceStart() {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    /** An init that failed: reported through /init/error, or the process exited before its first /next. */
    private static final class InitFailure extends RuntimeException {
        final String errorType;
        final byte[] document;
        final boolean exited;

        InitFailure(String errorType, byte[] document) {
            this(errorType, document, false);
        }

        InitFailure(String errorType, byte[] document, boolean exited) {
            super(errorType, null, false, false);
            this.errorType = errorType;
            this.document = document;
            this.exited = exited;
        }
    }
}
