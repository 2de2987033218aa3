package io.photopipe.local.lambda;

import io.photopipe.local.lambda.internal.ChildJvmEnvironment;
import io.photopipe.local.lambda.internal.Environment;
import io.photopipe.local.lambda.internal.FunctionPool;
import io.photopipe.local.lambda.internal.InProcessEnvironment;
import io.photopipe.local.lambda.internal.RicClasspath;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local Lambda service: registered functions run in execution environments that are child JVMs running the real
 * AWS Lambda Java runtime interface client against a local Runtime API, created on demand (cold starts), reused
 * when warm and shut down when idle.
 *
 * <p>Each environment runs one invocation at a time; concurrent invocations of a function get more environments,
 * with no limit here (the event source mapping's {@code MaximumConcurrency} bounds them, as in Lambda).
 */
public final class LocalLambda implements Invoker, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalLambda.class);

    private final LambdaOptions options;
    private final Map<String, FunctionPool> functions = new ConcurrentHashMap<>();
    private final ScheduledExecutorService reaper;
    private final AtomicInteger nextPort;
    private final Map<String, String> credentials;
    private volatile List<Path> ricJars;
    /** Stops the child JVMs if our JVM exits without {@link #close()} (Ctrl-C), so none is left behind. */
    private final Thread shutdownHook = Thread.ofPlatform().name("lambda-shutdown").unstarted(this::stopAll);

    private LocalLambda(LambdaOptions options) {
        this.options = options;
        this.nextPort = new AtomicInteger(options.runtimeApiPort());
        this.credentials = LambdaCredentials.environment();
        this.reaper = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon()
                .name("lambda-reaper").unstarted(r));
        long every = Math.max(1, Math.min(30, options.idleTimeout().toSeconds() / 2));
        reaper.scheduleWithFixedDelay(this::reap, every, every, TimeUnit.SECONDS);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Starts the service; nothing runs until a function is invoked. */
    public static LocalLambda start(LambdaOptions options) {
        LocalLambda lambda = new LocalLambda(options == null ? LambdaOptions.defaults() : options);
        if (lambda.options.mode() == LambdaOptions.Mode.CHILD_JVM) {
            lambda.ricJars = RicClasspath.jars(); // fail now, with the fix, rather than at the first invocation
        }
        return lambda;
    }

    /** The options it runs with. */
    public LambdaOptions options() {
        return options;
    }

    /** Adds (or replaces, shutting down the old environments) a function. */
    public void register(FunctionConfig function) {
        FunctionPool old = functions.put(function.name(), new FunctionPool(function, this::newEnvironment));
        if (old != null) {
            old.close();
        }
    }

    /** The registered function of that name, if any. */
    public java.util.Optional<FunctionConfig> function(String name) {
        return java.util.Optional.ofNullable(functions.get(name)).map(FunctionPool::function);
    }

    @Override
    public InvokeResult invoke(String functionName, byte[] payload) {
        FunctionPool pool = functions.get(functionName);
        if (pool == null) {
            throw new IllegalArgumentException("Function not found: " + functionName + " (registered: "
                    + functions.keySet() + ")");
        }
        return pool.invoke(payload == null ? new byte[0] : payload);
    }

    /** The environments of a function now (none for an unknown function). */
    public List<EnvironmentInfo> environments(String functionName) {
        FunctionPool pool = functions.get(functionName);
        return pool == null ? List.of() : pool.environments();
    }

    /** A snapshot of every function's environments and invocations. */
    public LambdaStats stats() {
        return new LambdaStats(functions.entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().stats())));
    }

    /** Stops every environment (their processes are destroyed) and the Runtime API servers. */
    @Override
    public void close() {
        leaveShutdownToOwner();
        stopAll();
    }

    /**
     * Removes this service's own shutdown hook, for an owner that stops it in order on exit (the local stack stops
     * the event source mapping first, so no invocation is cut by a hook racing its own).
     */
    public LocalLambda leaveShutdownToOwner() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException | IllegalArgumentException e) {
            // the JVM is shutting down (the hook is running or will run), or it was removed already
        }
        return this;
    }

    private void stopAll() {
        reaper.shutdownNow();
        functions.values().parallelStream().forEach(FunctionPool::close);
        functions.clear();
    }

    private Environment newEnvironment(FunctionConfig fn, String id) {
        if (options.mode() == LambdaOptions.Mode.IN_PROCESS) {
            return new InProcessEnvironment(fn, id, options.region(), options.logDirectory());
        }
        int port = options.runtimeApiPort() == 0 ? 0 : nextPort.getAndIncrement();
        return ChildJvmEnvironment.start(fn, id, options, port, ricJars, credentials);
    }

    private void reap() {
        try {
            functions.forEach((name, pool) -> {
                int n = pool.reap(options.idleTimeout());
                if (n > 0) {
                    LOG.debug("{}: shut down {} idle environment(s)", name, n);
                }
            });
        } catch (RuntimeException e) {
            LOG.warn("reaping idle environments failed", e);
        }
    }
}
