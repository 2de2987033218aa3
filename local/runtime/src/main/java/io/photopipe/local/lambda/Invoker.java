package io.photopipe.local.lambda;

/**
 * Invokes a function synchronously (Lambda's {@code RequestResponse} invocation type), as the event source mapping
 * and API Gateway do.
 */
@FunctionalInterface
public interface Invoker {

    /**
     * Runs one invocation and waits for its end. Never throws for a function error, a timeout or a crashed
     * environment: those come back as a result with {@link InvokeResult#ok()} false, as Lambda reports them.
     *
     * @throws IllegalArgumentException when no function of that name is registered
     */
    InvokeResult invoke(String functionName, byte[] payload);
}
