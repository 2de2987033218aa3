package io.photopipe.local.stack;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small control endpoint of a running local stack, for chaos drivers and people in another process (not part of
 * anything AWS has): on 127.0.0.1 only, every request must carry the stack's token in
 * {@code X-Photopipe-Control-Token} (both are in {@code local.env} as {@code PHOTOPIPE_CONTROL_URL} and
 * {@code PHOTOPIPE_CONTROL_TOKEN}), so a web page in a browser cannot drive it.
 *
 * <pre>
 * GET  /health                 {"pid":..,"s3":"http://..","sqs":"http://..","sqsUp":true}
 * GET  /metrics                the stack's metrics as JSON (queue figures -1 while SQS is down)
 * GET  /environments           the worker's execution environments: [{"id":..,"pid":..,"busy":true}, ...]
 * POST /sqs/stop               SQS outage begins: the port closes; the store keeps every acknowledged change
 * POST /sqs/start              SQS comes back on the same port with the same queues and messages
 * POST /sqs/outage?seconds=N   stop now, start again after N seconds (answers at once)
 * </pre>
 */
public final class ControlServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ControlServer.class);
    /** The request header carrying the token. */
    public static final String TOKEN_HEADER = "X-Photopipe-Control-Token";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final LocalStack stack;
    private final HttpServer server;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final String token;
    private volatile boolean closed;

    private ControlServer(LocalStack stack, HttpServer server, String token) {
        this.stack = stack;
        this.server = server;
        this.token = token;
    }

    /** Starts on 127.0.0.1:{@code port} (0: a free one) with a fresh random token. */
    static ControlServer start(LocalStack stack, int port) {
        byte[] t = new byte[16];
        new SecureRandom().nextBytes(t);
        try {
            HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
            ControlServer c = new ControlServer(stack, http, HexFormat.of().formatHex(t));
            http.setExecutor(c.threads);
            http.createContext("/", c::handle);
            http.start();
            return c;
        } catch (IOException e) {
            throw new IllegalStateException("cannot bind the control endpoint 127.0.0.1:" + port + ": "
                    + e.getMessage(), e);
        }
    }

    /** {@code http://127.0.0.1:PORT}. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** The token every request must carry. */
    public String token() {
        return token;
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String given = ex.getRequestHeaders().getFirst(TOKEN_HEADER);
            if (given == null || !MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
                    token.getBytes(StandardCharsets.UTF_8))) {
                reply(ex, 403, error("missing or wrong " + TOKEN_HEADER + " (see PHOTOPIPE_CONTROL_TOKEN in local.env)"));
                return;
            }
            String path = ex.getRequestURI().getPath();
            String method = ex.getRequestMethod();
            switch (method + " " + path) {
                case "GET /health" -> reply(ex, 200, health());
                case "GET /metrics" -> reply(ex, 200, metrics(stack.metrics()));
                case "GET /environments" -> reply(ex, 200, stack.lambda().environments(LocalStack.WORKER_FUNCTION));
                case "POST /sqs/stop" -> {
                    stack.stopSqs();
                    reply(ex, 200, health());
                }
                case "POST /sqs/start" -> {
                    stack.startSqs();
                    reply(ex, 200, health());
                }
                case "POST /sqs/outage" -> outage(ex);
                default -> reply(ex, 404, error("unknown " + method + " " + path + "; try GET /health, GET /metrics, "
                        + "GET /environments, POST /sqs/stop, POST /sqs/start, POST /sqs/outage?seconds=N"));
            }
        } catch (RuntimeException e) {
            LOG.warn("control request {} {} failed", ex.getRequestMethod(), ex.getRequestURI(), e);
            reply(ex, 500, error(e.toString()));
        }
    }

    private void outage(HttpExchange ex) throws IOException {
        String query = ex.getRequestURI().getQuery();
        long seconds;
        try {
            seconds = Long.parseLong(query == null || !query.startsWith("seconds=") ? "" : query.substring(8));
        } catch (NumberFormatException e) {
            reply(ex, 400, error("POST /sqs/outage needs ?seconds=N (1-3600), got '" + query + "'"));
            return;
        }
        if (seconds < 1 || seconds > 3600) {
            reply(ex, 400, error("seconds must be 1-3600, was " + seconds));
            return;
        }
        stack.stopSqs();
        Instant back = Instant.now().plusSeconds(seconds);
        threads.execute(() -> {
            try {
                Thread.sleep(Duration.ofSeconds(seconds));
                if (!closed) {
                    stack.startSqs();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                LOG.error("SQS did not come back after the outage", e);
            }
        });
        ObjectNode n = health();
        n.put("sqsBackAt", back.toString());
        reply(ex, 200, n);
    }

    private ObjectNode health() {
        ObjectNode n = JSON.createObjectNode();
        n.put("pid", ProcessHandle.current().pid());
        n.put("s3", stack.s3().endpoint().toString());
        n.put("sqs", stack.sqs().endpoint().toString());
        n.put("sqsUp", stack.sqsRunning());
        n.put("dataDir", stack.options().dataDir().toAbsolutePath().toString());
        return n;
    }

    private static ObjectNode metrics(StackMetrics m) {
        ObjectNode n = JSON.createObjectNode();
        n.put("time", Instant.now().toString());
        n.put("sqsUp", m.sqsUp());
        n.put("queued", m.queued());
        n.put("inFlight", m.inFlight());
        n.put("dlq", m.dlq());
        n.put("oldestAgeMs", m.oldestAge().toMillis());
        n.put("environments", m.environments());
        n.put("busy", m.busy());
        n.put("maxEnvironments", m.maxEnvironments());
        n.put("invocations", m.invocations());
        n.put("errors", m.errors());
        n.put("outOfMemory", m.outOfMemory());
        n.put("coldStarts", m.coldStarts());
        n.put("batches", m.batches());
        n.put("notificationsPending", m.notificationsPending());
        n.put("notificationsSent", m.notificationsSent());
        return n;
    }

    private static ObjectNode error(String message) {
        return JSON.createObjectNode().put("error", message);
    }

    private static void reply(HttpExchange ex, int status, Object body) throws IOException {
        byte[] b = JSON.writeValueAsBytes(body);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, b.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(b);
        }
    }

    @Override
    public void close() {
        closed = true;
        server.stop(0);
        threads.shutdownNow();
    }

    @Override
    public String toString() {
        return "ControlServer[" + endpoint() + "]";
    }
}
