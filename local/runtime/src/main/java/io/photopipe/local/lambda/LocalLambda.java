package io.photopipe.local.lambda;

/**
 * A local Lambda service: registered functions run in execution environments that are child JVMs running the real
 * AWS Lambda Java runtime interface client against a local Runtime API, created on demand (cold starts), reused
 * when warm and shut down when idle.
 */
public final class LocalLambda implements Invoker, AutoCloseable {

    private LocalLambda(LambdaOptions options) {
    }

    /** Starts the service; nothing runs until a function is invoked. */
    public static LocalLambda start(LambdaOptions options) {
        return new LocalLambda(options);
    }

    /** Adds (or replaces, shutting down the old environments) a function. */
    public void register(FunctionConfig function) {
        throw new UnsupportedOperationException("in progress");
    }

    @Override
    public InvokeResult invoke(String functionName, byte[] payload) {
        throw new UnsupportedOperationException("in progress");
    }

    /** A snapshot of every function's environments and invocations. */
    public LambdaStats stats() {
        throw new UnsupportedOperationException("in progress");
    }

    /** Stops every environment (their processes are destroyed) and the Runtime API servers. */
    @Override
    public void close() {
    }
}
