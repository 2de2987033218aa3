package io.photopipe.producer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.photopipe.producer.internal.Json;
import java.io.ByteArrayInputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Executors;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** burst, straight to S3 (single and multipart) and through an upload API handing out real presigned PUTs. */
class BurstTest {
    Stack stack = Stack.get();

    @Test
    void uploadsGeneratedJpegsConcurrentlyWithMultipartAboveTheThreshold() throws Exception {
        String bucket = stack.bucket("burst");

        Cli.Result r = Cli.run("burst", "--bucket", bucket, "--prefix", "uploads/b/", "--count", "9", "--concurrency",
                "3", "--sizes", "320x240,1600x1200", "--multipart-threshold", "200KB", "--part-size", "5MB", "--json");

        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode s = r.json();
        assertThat(s.path("uploaded").asInt()).isEqualTo(9);
        assertThat(s.path("multipart").asInt()).isBetween(1, 8);
        assertThat(s.path("latency").path("p50Ms").asDouble()).isPositive();
        assertThat(s.path("latency").path("count").asInt()).isEqualTo(9);
        var listed = stack.s3().listObjectsV2(b -> b.bucket(bucket).prefix("uploads/b/")).contents();
        assertThat(listed).hasSize(9);
        byte[] big = stack.s3().getObjectAsBytes(b -> b.bucket(bucket).key("uploads/b/000001-1600x1200.jpg"))
                .asByteArray();
        assertThat(ImageIO.read(new ByteArrayInputStream(big)).getWidth()).isEqualTo(1600);
    }

    @Test
    void uploadsThroughTheApiWithItsPresignedPut() throws Exception {
        String bucket = stack.bucket("burstapi");
        // Our stand-in for the upload API (helper "api" builds the real one): the same contract, real presigned URLs.
        HttpServer api = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        api.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        api.createContext("/uploads", ex -> {
            JsonNode req = Json.MAPPER.readTree(ex.getRequestBody());
            String id = UUID.randomUUID().toString();
            String key = "uploads/api/" + id + "/" + req.path("fileName").asText();
            var presigned = stack.s3Server.presigner().presignPutObject(p -> p.signatureDuration(Duration.ofMinutes(5))
                    .putObjectRequest(o -> o.bucket(bucket).key(key).contentType(req.path("contentType").asText())
                            .contentLength(req.path("size").asLong())));
            var headers = Json.MAPPER.createObjectNode();
            presigned.signedHeaders().forEach((k, v) -> headers.put(k, v.getFirst()));
            var body = Json.MAPPER.createObjectNode().put("id", id);
            body.putObject("upload").put("method", "PUT").put("url", presigned.url().toString()).set("headers", headers);
            body.put("statusUrl", "http://127.0.0.1/uploads/" + id).put("expiresAt", "2030-01-01T00:00:00Z");
            byte[] out = Json.write(body).getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(201, out.length);
            ex.getResponseBody().write(out);
            ex.close();
        });
        api.start();
        try {
            Cli.Result r = Cli.run("burst", "--via-api", "http://127.0.0.1:" + api.getAddress().getPort(), "--count",
                    "4", "--concurrency", "2", "--sizes", "200x150", "--json");

            assertThat(r.exitCode()).as(r.err() + r.out()).isZero();
            assertThat(r.json().path("method").asText()).isEqualTo("api");
            assertThat(r.json().path("uploaded").asInt()).isEqualTo(4);
            assertThat(stack.s3().listObjectsV2(b -> b.bucket(bucket).prefix("uploads/api/")).contents()).hasSize(4);
        } finally {
            api.stop(0);
        }
    }

    @Test
    void failedUploadsAreCountedAndTheExitCodeSaysPartial() {
        Cli.Result r = Cli.run("burst", "--bucket", "no-such-bucket-" + UUID.randomUUID().toString().substring(0, 8),
                "--count", "2", "--sizes", "64x64", "--json");

        assertThat(r.exitCode()).isEqualTo(ExitCodes.PARTIAL);
        assertThat(r.json().path("failed").asInt()).isEqualTo(2);
        assertThat(r.json().path("failures").get(0).asText()).contains("NoSuchBucket");
    }
}
