package io.photopipe.local.apigw;

import io.photopipe.local.lambda.Invoker;
import java.net.URI;

/**
 * An API Gateway HTTP API ({@code $default} route, Lambda proxy integration, payload format 2.0) in front of one
 * function.
 */
public final class HttpApi implements AutoCloseable {

    private HttpApi() {
    }

    /** Serves on host:port (0 for an ephemeral port). */
    public static HttpApi start(String host, int port, Invoker invoker, String functionName) {
        throw new UnsupportedOperationException("in progress");
    }

    /** {@code http://host:port}. */
    public URI endpoint() {
        throw new UnsupportedOperationException("in progress");
    }

    @Override
    public void close() {
    }
}
