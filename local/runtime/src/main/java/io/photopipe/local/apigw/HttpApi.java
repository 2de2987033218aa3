package io.photopipe.local.apigw;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.photopipe.local.lambda.InvokeResult;
import io.photopipe.local.lambda.Invoker;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An API Gateway HTTP API ({@code $default} route, Lambda proxy integration, payload format 2.0) in front of one
 * function: each HTTP request becomes one synchronous invocation with the event API Gateway would send, and the
 * function's response becomes the HTTP response by API Gateway's rules. See
 * <a href="https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html">Working
 * with AWS Lambda proxy integrations for HTTP APIs</a>.
 */
public final class HttpApi implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** API Gateway's request payload limit (HTTP APIs: 10 MB). */
    static final int MAX_REQUEST_BYTES = 10 * 1024 * 1024;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final String API_ID = "local";

    private final HttpServer server;
    private final ExecutorService executor;
    private final Invoker invoker;
    private final String functionName;
    private final URI endpoint;

    private HttpApi(HttpServer server, ExecutorService executor, Invoker invoker, String functionName, URI endpoint) {
        this.server = server;
        this.executor = executor;
        this.invoker = invoker;
        this.functionName = functionName;
        this.endpoint = endpoint;
    }

    /** Serves on host:port (0 for an ephemeral port). */
    public static HttpApi start(String host, int port, Invoker invoker, String functionName) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(host, port), 64);
        } catch (IOException e) {
            throw new IllegalStateException("the HTTP API cannot listen on " + host + ":" + port + " ("
                    + e.getMessage() + "); is another stack running? Choose another port", e);
        }
        // Each request waits for a synchronous invocation: one thread each, as many as the function can run
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        String shown = host.equals("0.0.0.0") ? "127.0.0.1" : host;
        URI endpoint = URI.create("http://" + (shown.contains(":") ? "[" + shown + "]" : shown) + ":"
                + server.getAddress().getPort());
        HttpApi api = new HttpApi(server, executor, invoker, functionName, endpoint);
        server.createContext("/", api::serve);
        server.setExecutor(executor);
        server.start();
        return api;
    }

    /** {@code http://host:port}. */
    public URI endpoint() {
        return endpoint;
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = readBody(exchange.getRequestBody());
            if (body == null) {
                respond(exchange, 413, Map.of("Content-Type", "application/json"), List.of(),
                        "{\"message\":\"Request Entity Too Large\"}".getBytes(StandardCharsets.UTF_8));
                return;
            }
            byte[] event = JSON.writeValueAsBytes(event(exchange, body));
            InvokeResult result = invoker.invoke(functionName, event);
            if (!result.ok()) {
                LOG.warn("{} {} -> function error {}: {}", exchange.getRequestMethod(),
                        exchange.getRequestURI().getRawPath(), result.errorType(), result.payloadText());
                respond(exchange, 500, Map.of("Content-Type", "application/json"), List.of(),
                        "{\"message\":\"Internal Server Error\"}".getBytes(StandardCharsets.UTF_8));
                return;
            }
            Response response = Response.of(result.payload());
            respond(exchange, response.status(), response.headers(), response.cookies(), response.body());
        } catch (RuntimeException e) {
            LOG.error("HTTP API failed on {} {}", exchange.getRequestMethod(), exchange.getRequestURI(), e);
            respond(exchange, 500, Map.of("Content-Type", "application/json"), List.of(),
                    "{\"message\":\"Internal Server Error\"}".getBytes(StandardCharsets.UTF_8));
        }
    }

    /** The payload 2.0 event API Gateway sends for this request. */
    private ObjectNode event(HttpExchange exchange, byte[] body) {
        URI uri = exchange.getRequestURI();
        String rawPath = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        String rawQuery = uri.getRawQuery() == null ? "" : uri.getRawQuery();
        long now = System.currentTimeMillis();
        String sourceIp = exchange.getRemoteAddress().getAddress().getHostAddress();

        ObjectNode event = JSON.createObjectNode();
        event.put("version", "2.0");
        event.put("routeKey", "$default");
        event.put("rawPath", rawPath);
        event.put("rawQueryString", rawQuery);

        // Header names are lower-cased and repeated headers joined with commas; cookies travel apart
        ObjectNode headers = event.putObject("headers");
        ArrayNode cookies = JSON.createArrayNode();
        exchange.getRequestHeaders().forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.equals("cookie")) {
                values.forEach(v -> {
                    for (String c : v.split(";")) {
                        if (!c.isBlank()) {
                            cookies.add(c.strip());
                        }
                    }
                });
            } else {
                headers.put(lower, String.join(",", values));
            }
        });
        headers.put("x-forwarded-for", sourceIp);
        headers.put("x-forwarded-port", Integer.toString(server.getAddress().getPort()));
        headers.put("x-forwarded-proto", "http");
        if (!cookies.isEmpty()) {
            event.set("cookies", cookies);
        }
        if (!rawQuery.isEmpty()) {
            ObjectNode query = event.putObject("queryStringParameters");
            Map<String, String> joined = new LinkedHashMap<>();
            for (String pair : rawQuery.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String name = decode(eq < 0 ? pair : pair.substring(0, eq));
                String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
                joined.merge(name, value, (a, b) -> a + "," + b);
            }
            joined.forEach(query::put);
        }

        ObjectNode context = event.putObject("requestContext");
        context.put("accountId", "000000000000");
        context.put("apiId", API_ID);
        String host = exchange.getRequestHeaders().getFirst("Host");
        context.put("domainName", host == null ? endpoint.getAuthority() : host);
        context.put("domainPrefix", API_ID);
        ObjectNode http = context.putObject("http");
        http.put("method", exchange.getRequestMethod());
        http.put("path", decodePath(rawPath));
        http.put("protocol", exchange.getProtocol());
        http.put("sourceIp", sourceIp);
        String agent = exchange.getRequestHeaders().getFirst("User-Agent");
        http.put("userAgent", agent == null ? "" : agent);
        context.put("requestId", UUID.randomUUID().toString());
        context.put("routeKey", "$default");
        context.put("stage", "$default");
        context.put("time", TIME.format(Instant.ofEpochMilli(now)));
        context.put("timeEpoch", now);

        if (body.length > 0) {
            String type = exchange.getRequestHeaders().getFirst("Content-Type");
            boolean text = isText(type);
            event.put("body", text ? new String(body, StandardCharsets.UTF_8)
                    : Base64.getEncoder().encodeToString(body));
            event.put("isBase64Encoded", !text);
        } else {
            event.put("isBase64Encoded", false);
        }
        return event;
    }

    /** Bodies API Gateway passes as text; anything else arrives base64-encoded. */
    static boolean isText(String contentType) {
        if (contentType == null) {
            return false;
        }
        String t = contentType.toLowerCase(Locale.ROOT);
        return t.startsWith("text/") || t.contains("json") || t.contains("xml") || t.contains("javascript")
                || t.startsWith("application/x-www-form-urlencoded");
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    private static String decodePath(String rawPath) {
        // '+' is literal in a path: protect it from the form decoder
        return URLDecoder.decode(rawPath.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static byte[] readBody(InputStream in) throws IOException {
        byte[] body = in.readNBytes(MAX_REQUEST_BYTES + 1);
        return body.length > MAX_REQUEST_BYTES ? null : body;
    }

    private static void respond(HttpExchange exchange, int status, Map<String, String> headers, List<String> cookies,
                                byte[] body) throws IOException {
        headers.forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
        cookies.forEach(c -> exchange.getResponseHeaders().add("Set-Cookie", c));
        boolean noBody = body.length == 0 || exchange.getRequestMethod().equals("HEAD") || status == 204
                || status == 304;
        exchange.sendResponseHeaders(status, noBody ? -1 : body.length);
        if (!noBody) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /**
     * The function's answer as API Gateway reads it: an object with {@code statusCode} is a full response; any
     * other valid JSON is a 200 {@code application/json} body; anything else is a 200 text body.
     */
    record Response(int status, Map<String, String> headers, List<String> cookies, byte[] body) {
        static Response of(byte[] payload) {
            JsonNode json;
            try {
                json = JSON.readTree(payload);
            } catch (IOException e) {
                return new Response(200, Map.of("Content-Type", "text/plain; charset=utf-8"), List.of(), payload);
            }
            if (json == null || !json.isObject() || !json.has("statusCode")) {
                return new Response(200, Map.of("Content-Type", "application/json"), List.of(), payload);
            }
            Map<String, String> headers = new LinkedHashMap<>();
            JsonNode h = json.get("headers");
            if (h != null && h.isObject()) {
                h.properties().forEach(e -> headers.put(e.getKey(), e.getValue().asText()));
            }
            List<String> cookies = new java.util.ArrayList<>();
            JsonNode c = json.get("cookies");
            if (c != null && c.isArray()) {
                c.forEach(v -> cookies.add(v.asText()));
            }
            JsonNode b = json.get("body");
            String text = b == null || b.isNull() ? "" : b.asText();
            boolean base64 = json.path("isBase64Encoded").asBoolean(false);
            byte[] body = base64 ? Base64.getDecoder().decode(text) : text.getBytes(StandardCharsets.UTF_8);
            return new Response(json.get("statusCode").asInt(200), headers, cookies, body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
