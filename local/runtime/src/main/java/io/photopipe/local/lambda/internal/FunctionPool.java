package io.photopipe.local.lambda.internal;

import io.photopipe.local.lambda.FunctionConfig;
import io.photopipe.local.lambda.InvokeResult;
import io.photopipe.local.lambda.LambdaStats.FunctionStats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;

/**
 * One function's execution environments: an invocation takes the most recently used idle one (warm) or creates one
 * (cold start); an environment runs one invocation at a time, as in Lambda
 * (<a href="https://docs.aws.amazon.com/lambda/latest/dg/lambda-concurrency.html">Lambda concurrency</a>).
 */
public final class FunctionPool implements AutoCloseable {
    private final FunctionConfig fn;
    private final BiFunction<FunctionConfig, String, Environment> factory;
    private final Deque<Environment> idle = new LinkedBlockingDeque<>();
    private final Set<Environment> all = ConcurrentHashMap.newKeySet();
    private final Map<Environment, Long> lastUsed = new ConcurrentHashMap<>();
    private final AtomicInteger envSeq = new AtomicInteger();
    private final AtomicInteger busy = new AtomicInteger();
    private final AtomicInteger maxEnvironments = new AtomicInteger();
    private final AtomicLong invocations = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong timeouts = new AtomicLong();
    private final AtomicLong crashes = new AtomicLong();
    private final AtomicLong outOfMemory = new AtomicLong();
    private final AtomicLong coldStarts = new AtomicLong();
    private final DurationWindow init = new DurationWindow();
    private final DurationWindow invoke = new DurationWindow();
    private volatile boolean closed;

    public FunctionPool(FunctionConfig fn, BiFunction<FunctionConfig, String, Environment> factory) {
        this.fn = fn;
        this.factory = factory;
    }

    public FunctionConfig function() {
        return fn;
    }

    public InvokeResult invoke(byte[] payload) {
        if (closed) {
            throw new IllegalStateException("function " + fn.name() + " was replaced or the service stopped");
        }
        String requestId = UUID.randomUUID().toString();
        if (payload.length > LambdaErrors.MAX_SYNC_PAYLOAD_BYTES) {
            // Lambda refuses it before any environment sees it (RequestEntityTooLargeException)
            errors.incrementAndGet();
            return new InvokeResult(fn.name(), false, "RequestEntityTooLargeException",
                    LambdaErrors.document("RequestEntityTooLargeException", "Request must be smaller than "
                            + LambdaErrors.MAX_SYNC_PAYLOAD_BYTES + " bytes for the InvokeFunction operation"),
                    null, Duration.ZERO, false, false, requestId);
        }
        Environment env = idle.pollFirst();
        while (env != null && !env.usable()) {
            // died while idle (a crash, a kill, its memory): Lambda never routes an invocation to such an environment
            retire(env);
            env = idle.pollFirst();
        }
        boolean cold = env == null;
        if (cold) {
            env = factory.apply(fn, fn.name() + "-" + envSeq.incrementAndGet());
            all.add(env);
            coldStarts.incrementAndGet();
            maxEnvironments.accumulateAndGet(all.size(), Math::max);
        }
        busy.incrementAndGet();
        Environment.Outcome o;
        try {
            o = env.invoke(requestId, payload);
        } finally {
            busy.decrementAndGet();
        }
        if (env.usable() && !closed) {
            lastUsed.put(env, System.nanoTime());
            idle.addFirst(env);
        } else {
            retire(env);
        }
        invocations.incrementAndGet();
        if (!o.ok()) {
            errors.incrementAndGet();
        }
        if (o.timedOut()) {
            timeouts.incrementAndGet();
        }
        if (o.crashed()) {
            crashes.incrementAndGet();
        }
        if ("Runtime.OutOfMemory".equals(o.errorType())) {
            outOfMemory.incrementAndGet();
        }
        if (o.initDuration() != null) {
            init.add(o.initDuration());
        }
        invoke.add(o.duration());
        return new InvokeResult(fn.name(), o.ok(), o.errorType(), o.payload(), o.initDuration(), o.duration(), cold,
                o.timedOut(), requestId);
    }

    /** Shuts down environments idle longer than the limit; returns how many. */
    public int reap(Duration idleLimit) {
        long now = System.nanoTime();
        int reaped = 0;
        for (Environment env : new ArrayList<>(idle)) {
            Long last = lastUsed.get(env);
            if (last != null && now - last > idleLimit.toNanos() && idle.remove(env)) {
                retire(env);
                reaped++;
            }
        }
        return reaped;
    }

    /** Its environments now: id, process and whether each runs an invocation. */
    public List<io.photopipe.local.lambda.EnvironmentInfo> environments() {
        Set<Environment> idleNow = Set.copyOf(idle);
        return all.stream().map(e -> new io.photopipe.local.lambda.EnvironmentInfo(e.id(), e.pid(),
                !idleNow.contains(e))).toList();
    }

    public FunctionStats stats() {
        return new FunctionStats(all.size(), busy.get(), maxEnvironments.get(), invocations.get(), errors.get(),
                timeouts.get(), crashes.get(), outOfMemory.get(), coldStarts.get(), init.snapshot(), invoke.snapshot());
    }

    @Override
    public void close() {
        closed = true;
        List<Environment> envs = new ArrayList<>(all);
        idle.clear();
        envs.parallelStream().forEach(this::retire);
    }

    private void retire(Environment env) {
        all.remove(env);
        lastUsed.remove(env);
        env.close();
    }
}
