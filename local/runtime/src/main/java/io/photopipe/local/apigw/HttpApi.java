package io.photopipe.local.apigw;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.photopipe.local.apigw.internal.HttpEvents;
import io.photopipe.local.lambda.InvokeResult;
import io.photopipe.local.lambda.Invoker;
import io.photopipe.local.servers.LocalCredentials;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An API Gateway HTTP API ({@code $default} route, Lambda proxy integration, payload format 2.0) in front of one
 * function: each request becomes an {@code APIGatewayV2HTTPEvent} invocation, the {@code APIGatewayV2HTTPResponse}
 * becomes the HTTP response; a function error is a {@code 502 {"message":"Internal Server Error"}} as API Gateway
 * answers it. Requests above API Gateway's 10 MB payload quota get 413.
 */
public final class HttpApi implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);
    /** https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-quotas.html: payload size 10 MB. */
    private static final int MAX_REQUEST_BYTES = 10 * 1024 * 1024;

    private final HttpServer server;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final Invoker invoker;
    private final String functionName;
    private final String apiId;
    private final URI endpoint;

    private HttpApi(String host, int port, Invoker invoker, String functionName) throws IOException {
        this.invoker = invoker;
        this.functionName = functionName;
        this.apiId = "local" + Integer.toHexString(functionName.hashCode() & 0xfffff);
        this.server = HttpServer.create(new InetSocketAddress(host, port), 128);
        server.setExecutor(threads);
        server.createContext("/", this::handle);
        server.start();
        this.endpoint = URI.create("http://" + host + ":" + server.getAddress().getPort());
    }

    /** Serves on host:port (0 for an ephemeral port). */
    public static HttpApi start(String host, int port, Invoker invoker, String functionName) {
        try {
            HttpApi api = new HttpApi(host, port, invoker, functionName);
            LOG.info("HTTP API for function {} on {}", functionName, api.endpoint);
            return api;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serve the HTTP API on " + host + ":" + port + ": " + e.getMessage()
                    + (port != 0 ? " (is the port in use? pick another)" : ""), e);
        }
    }

    /** {@code http://host:port}. */
    public URI endpoint() {
        return endpoint;
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String requestId = Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(UUID.randomUUID().toString().getBytes()).substring(0, 16);
            HttpEvents.Response response;
            byte[] body = readBody(ex.getRequestBody());
            if (body == null) {
                response = HttpEvents.error(413, "Request Entity Too Large");
            } else {
                var request = new HttpEvents.Request(ex.getRequestMethod(), ex.getRequestURI().getRawPath(),
                        ex.getRequestURI().getRawQuery(), ex.getProtocol(),
                        ex.getRemoteAddress().getAddress().getHostAddress(), ex.getRequestHeaders(), body);
                // API Gateway reports the domain the API is served on, never a client's Host header
                byte[] event = HttpEvents.event(request, apiId, LocalCredentials.ACCOUNT_ID, endpoint.getAuthority(),
                        requestId, Instant.now());
                response = respond(event);
            }
            response.headers().forEach((k, v) -> ex.getResponseHeaders().put(k, v));
            ex.getResponseHeaders().set("Apigw-Requestid", requestId);
            boolean head = ex.getRequestMethod().equalsIgnoreCase("HEAD");
            ex.sendResponseHeaders(response.status(), head || response.body().length == 0 ? -1 : response.body().length);
            if (!head && response.body().length > 0) {
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(response.body());
                }
            }
        }
    }

    private HttpEvents.Response respond(byte[] event) {
        InvokeResult r;
        try {
            r = invoker.invoke(functionName, event);
        } catch (RuntimeException e) {
            LOG.warn("HTTP API: invoking {} failed: {}", functionName, e.toString());
            return HttpEvents.error(500, "Internal Server Error");
        }
        if (!r.ok()) {
            // https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-troubleshooting-lambda.html
            LOG.info("HTTP API: {} failed ({}): 502", functionName, r.errorType());
            return r.errorType() != null && r.errorType().equals("RequestEntityTooLargeException")
                    ? HttpEvents.error(413, "Request Entity Too Large")
                    : HttpEvents.error(502, "Internal Server Error");
        }
        return HttpEvents.response(r.payload());
    }

    private static byte[] readBody(InputStream in) throws IOException {
        byte[] b = in.readNBytes(MAX_REQUEST_BYTES + 1);
        return b.length > MAX_REQUEST_BYTES ? null : b;
    }
}
