package io.photopipe.local.lambda.internal;

import java.time.Duration;

/** One execution environment: runs one invocation at a time, keeps its state between them while warm. */
public interface Environment extends AutoCloseable {

    /** Runs one invocation; the first one on a new environment also waits for its Init phase. */
    Outcome invoke(String requestId, byte[] payload);

    /** Whether it can take another invocation (false after a timeout, a crash or an init error). */
    boolean usable();

    /** A short name for logs, e.g. {@code worker-3}. */
    String id();

    /** The process id of its child JVM, or -1 when it runs in this JVM. */
    default long pid() {
        return -1;
    }

    /** Stops it (a child JVM is destroyed). */
    @Override
    void close();

    /**
     * What an invocation came to.
     *
     * @param ok           no function error
     * @param errorType    the error type when not ok
     * @param payload      response or error document
     * @param initDuration the Init phase if this invocation waited for one, else null
     * @param duration     the Invoke phase
     * @param timedOut     killed by the timeout
     * @param crashed      the environment's process exited during it
     */
    record Outcome(boolean ok, String errorType, byte[] payload, Duration initDuration, Duration duration,
                   boolean timedOut, boolean crashed) {
    }
}
