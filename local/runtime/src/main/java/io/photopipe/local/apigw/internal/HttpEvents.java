package io.photopipe.local.apigw.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Builds the API Gateway HTTP API event (payload format version 2.0) and reads the function's response, as in
 * <a href="https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html">Create
 * AWS Lambda proxy integrations for HTTP APIs</a>.
 */
public final class HttpEvents {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    private HttpEvents() {
    }

    /** An incoming request, as the server saw it. */
    public record Request(String method, String rawPath, String rawQuery, String protocol, String sourceIp,
                          Map<String, List<String>> headers, byte[] body) {
    }

    /** What goes back to the client. */
    public record Response(int status, Map<String, List<String>> headers, byte[] body) {
    }

    /** The event: headers lowercased, repeated ones comma-joined, cookies apart, query parameters comma-joined. */
    public static byte[] event(Request r, String apiId, String accountId, String host, String requestId,
                               Instant now) {
        ObjectNode e = JSON.createObjectNode();
        e.put("version", "2.0");
        e.put("routeKey", "$default");
        e.put("rawPath", r.rawPath());
        e.put("rawQueryString", r.rawQuery() == null ? "" : r.rawQuery());
        List<String> cookies = new ArrayList<>();
        Map<String, String> headers = new LinkedHashMap<>();
        r.headers().forEach((name, values) -> {
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
                headers.merge(lower, String.join(",", values), (a, b) -> a + "," + b);
            }
        });
        if (!cookies.isEmpty()) {
            var arr = e.putArray("cookies");
            cookies.forEach(arr::add);
        }
        ObjectNode h = e.putObject("headers");
        headers.forEach(h::put);
        Map<String, String> query = query(r.rawQuery());
        if (!query.isEmpty()) {
            ObjectNode q = e.putObject("queryStringParameters");
            query.forEach(q::put);
        }
        ObjectNode ctx = e.putObject("requestContext");
        ctx.put("accountId", accountId);
        ctx.put("apiId", apiId);
        ctx.put("domainName", host);
        ctx.put("domainPrefix", host.contains(".") ? host.substring(0, host.indexOf('.')) : host);
        ObjectNode http = ctx.putObject("http");
        http.put("method", r.method());
        http.put("path", r.rawPath());
        http.put("protocol", r.protocol());
        http.put("sourceIp", r.sourceIp());
        http.put("userAgent", headers.getOrDefault("user-agent", ""));
        ctx.put("requestId", requestId);
        ctx.put("routeKey", "$default");
        ctx.put("stage", "$default");
        ctx.put("time", TIME.format(now));
        ctx.put("timeEpoch", now.toEpochMilli());
        if (r.body() != null && r.body().length > 0) {
            String text = textBody(headers.get("content-type"), r.body());
            e.put("body", text != null ? text : Base64.getEncoder().encodeToString(r.body()));
            e.put("isBase64Encoded", text == null);
        } else {
            e.put("isBase64Encoded", false);
        }
        return e.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The HTTP response for the function's output. With a {@code statusCode} it is taken as is; valid JSON without
     * one is inferred as a 200 {@code application/json} response whose body is the output; anything else is a
     * 500 (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html#http-api-develop-integrations-lambda.response).
     */
    public static Response response(byte[] output) {
        JsonNode n;
        try {
            n = output == null || output.length == 0 ? null : JSON.readTree(output);
        } catch (Exception ex) {
            return error(500, "Internal Server Error");
        }
        if (n == null || !n.isObject() || !n.has("statusCode")) {
            Map<String, List<String>> h = new LinkedHashMap<>();
            h.put("Content-Type", List.of("application/json"));
            return new Response(200, h, output == null ? new byte[0] : output);
        }
        int status = n.get("statusCode").asInt(-1);
        if (status < 100 || status > 599) {
            return error(500, "Internal Server Error");
        }
        Map<String, List<String>> h = new LinkedHashMap<>();
        if (n.get("headers") instanceof ObjectNode hs) {
            hs.properties().forEach(p -> h.put(p.getKey(), new ArrayList<>(List.of(p.getValue().asText()))));
        }
        if (n.get("multiValueHeaders") instanceof ObjectNode mv) {
            mv.properties().forEach(p -> p.getValue().forEach(v ->
                    h.computeIfAbsent(p.getKey(), k -> new ArrayList<>()).add(v.asText())));
        }
        if (n.get("cookies") != null && n.get("cookies").isArray()) {
            n.get("cookies").forEach(c -> h.computeIfAbsent("Set-Cookie", k -> new ArrayList<>()).add(c.asText()));
        }
        byte[] body = new byte[0];
        JsonNode b = n.get("body");
        if (b != null && !b.isNull()) {
            String text = b.isTextual() ? b.asText() : b.toString();
            body = n.path("isBase64Encoded").asBoolean(false) ? Base64.getMimeDecoder().decode(text)
                    : text.getBytes(StandardCharsets.UTF_8);
        }
        return new Response(status, h, body);
    }

    /** API Gateway's own error body, e.g. {@code {"message":"Internal Server Error"}}. */
    public static Response error(int status, String message) {
        Map<String, List<String>> h = new LinkedHashMap<>();
        h.put("Content-Type", List.of("application/json"));
        return new Response(status, h, JSON.createObjectNode().put("message", message).toString()
                .getBytes(StandardCharsets.UTF_8));
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> q = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return q;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = decode(eq < 0 ? pair : pair.substring(0, eq));
            String v = eq < 0 ? "" : decode(pair.substring(eq + 1));
            q.merge(k, v, (a, b) -> a + "," + b);
        }
        return q;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s;
        }
    }

    /** The body as text when its type is textual and it is valid UTF-8, else null (then it goes base64). */
    private static String textBody(String contentType, byte[] body) {
        String t = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
        boolean textual = t.startsWith("text/") || t.contains("json") || t.contains("xml")
                || t.contains("javascript") || t.startsWith("application/x-www-form-urlencoded") || t.isEmpty();
        if (!textual) {
            return null;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
