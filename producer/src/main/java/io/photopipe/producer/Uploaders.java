package io.photopipe.producer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.photopipe.producer.internal.Json;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.services.s3.S3AsyncClient;

/** The two ways a burst uploads: straight to S3, or through the upload API's presigned requests. */
public final class Uploaders {
    private Uploaders() {
    }

    /**
     * PutObject with the SDK's multipart client: objects at or above its threshold go up in parts, concurrently.
     */
    public static Burst.Uploader s3(S3AsyncClient s3, String bucket) {
        return p -> {
            s3.putObject(r -> r.bucket(bucket).key(p.key()).contentType(p.contentType()),
                    AsyncRequestBody.fromBytes(p.bytes())).join();
            return p.key();
        };
    }

    /**
     * Through the upload API: {@code POST <api>/uploads {fileName, contentType, size}} returns
     * {@code {id, upload: {method, url, headers, fields}, statusUrl, expiresAt}}; then the photo is PUT to the
     * presigned URL with the given headers, or POSTed as a multipart form with the given fields (browser POST).
     * The photo's key is whatever the API chose; the returned "key" is the upload id.
     */
    public static Burst.Uploader api(HttpClient http, URI api) {
        URI create = api.getPath().endsWith("/uploads") ? api
                : URI.create(api.toString().replaceAll("/+$", "") + "/uploads");
        // Headers java.net.http sets itself and refuses from callers.
        Set<String> restricted = Set.of("host", "content-length", "connection", "expect", "upgrade");
        return p -> {
            ObjectNode req = Json.MAPPER.createObjectNode().put("fileName", p.fileName())
                    .put("contentType", p.contentType()).put("size", p.bytes().length);
            HttpResponse<String> created = http.send(HttpRequest.newBuilder(create).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(Json.write(req))).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (created.statusCode() / 100 != 2) {
                throw new IllegalStateException("POST " + create + " answered " + created.statusCode() + ": "
                        + created.body());
            }
            JsonNode body = Json.MAPPER.readTree(created.body());
            JsonNode upload = body.path("upload");
            String method = upload.path("method").asText("PUT");
            URI url = URI.create(upload.path("url").asText());
            HttpRequest.Builder b = HttpRequest.newBuilder(url).timeout(Duration.ofMinutes(5));
            if (method.equalsIgnoreCase("PUT")) {
                for (Iterator<Map.Entry<String, JsonNode>> it = upload.path("headers").fields(); it.hasNext(); ) {
                    var h = it.next();
                    if (!restricted.contains(h.getKey().toLowerCase(java.util.Locale.ROOT))) {
                        b.header(h.getKey(), h.getValue().asText());
                    }
                }
                b.PUT(HttpRequest.BodyPublishers.ofByteArray(p.bytes()));
            } else {
                String boundary = "photopipe" + UUID.randomUUID().toString().replace("-", "");
                b.header("Content-Type", "multipart/form-data; boundary=" + boundary);
                b.POST(HttpRequest.BodyPublishers.ofByteArray(form(boundary, upload.path("fields"), p)));
            }
            HttpResponse<String> put = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            if (put.statusCode() / 100 != 2) {
                throw new IllegalStateException(method + " to the presigned URL answered " + put.statusCode() + ": "
                        + put.body());
            }
            return body.path("id").asText(p.key());
        };
    }

    /** A multipart/form-data body: every policy field, then the file last, as S3's POST Object requires. */
    static byte[] form(String boundary, JsonNode fields, Burst.Photo p) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(p.bytes().length + 2048);
        for (Iterator<Map.Entry<String, JsonNode>> it = fields.fields(); it.hasNext(); ) {
            var f = it.next();
            write(out, "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + f.getKey() + "\"\r\n\r\n"
                    + f.getValue().asText() + "\r\n");
        }
        write(out, "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\""
                + p.fileName().replace("\"", "") + "\"\r\nContent-Type: " + p.contentType() + "\r\n\r\n");
        out.writeBytes(p.bytes());
        write(out, "\r\n--" + boundary + "--\r\n");
        return out.toByteArray();
    }

    private static void write(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
    }
}
