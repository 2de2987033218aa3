package io.photopipe.local.servers;

import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.presigner.model.PresignedPutObjectRequest;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The embedded S3 with the real SDK over HTTP: the operations the pipeline and its users rely on. */
class EmbeddedS3Test {

    static EmbeddedS3 s3;
    static S3Client client;
    static final AtomicInteger puts = new AtomicInteger();
    static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    /** Counts putBlob calls: proves the decorator sits around the store S3Proxy serves. */
    static final class CountingStore extends ForwardingBlobStore {
        CountingStore(BlobStore delegate) {
            super(delegate);
        }

        @Override
        public software.amazon.awssdk.services.s3.model.PutObjectResponse putBlob(PutObjectRequest request,
                                                                                   InputStream input) {
            PutObjectResponse r = super.putBlob(request, input);
            puts.incrementAndGet();
            return r;
        }
    }

    @BeforeAll
    static void start() {
        s3 = EmbeddedS3.start(EmbeddedS3.Options.builder()
                .blobStoreDecorator(CountingStore::new)
                .cors(new EmbeddedS3.Cors(List.of("http://localhost:8080"), List.of("GET", "PUT"), List.of("*"),
                        List.of("ETag")))
                .build());
        s3.createBucket("photos");
        client = s3.client();
    }

    @AfterAll
    static void stop() {
        s3.close();
    }

    @Test
    void putGetListDeleteWithAwkwardKey() {
        String key = "uploads/a b+c/é%.txt";
        int before = puts.get();
        client.putObject(b -> b.bucket("photos").key(key), RequestBody.fromString("hello"));
        assertThat(puts.get()).as("decorator saw the PUT").isEqualTo(before + 1);
        assertThat(client.getObjectAsBytes(b -> b.bucket("photos").key(key)).asString(StandardCharsets.UTF_8))
                .isEqualTo("hello");
        assertThat(client.listObjectsV2(b -> b.bucket("photos").prefix("uploads/a b+c/")).contents())
                .extracting(S3Object::key).containsExactly(key);
        client.deleteObject(b -> b.bucket("photos").key(key));
        assertThatThrownBy(() -> client.headObject(b -> b.bucket("photos").key(key)))
                .isInstanceOf(NoSuchKeyException.class);
    }

    @Test
    void multipartUpload() {
        byte[] part1 = random(5 * 1024 * 1024, 1);
        byte[] part2 = random(1024, 2);
        String id = client.createMultipartUpload(b -> b.bucket("photos").key("mp/big.bin")).uploadId();
        String e1 = client.uploadPart(b -> b.bucket("photos").key("mp/big.bin").uploadId(id).partNumber(1),
                RequestBody.fromBytes(part1)).eTag();
        String e2 = client.uploadPart(b -> b.bucket("photos").key("mp/big.bin").uploadId(id).partNumber(2),
                RequestBody.fromBytes(part2)).eTag();
        client.completeMultipartUpload(b -> b.bucket("photos").key("mp/big.bin").uploadId(id)
                .multipartUpload(m -> m.parts(CompletedPart.builder().partNumber(1).eTag(e1).build(),
                        CompletedPart.builder().partNumber(2).eTag(e2).build())));
        byte[] got = client.getObjectAsBytes(b -> b.bucket("photos").key("mp/big.bin")).asByteArray();
        assertThat(got).hasSize(part1.length + part2.length);
        assertThat(Arrays.copyOfRange(got, part1.length, got.length)).isEqualTo(part2);
    }

    @Test
    void presignedPutWorksAndIsCheckedForSize() throws Exception {
        PresignedPutObjectRequest ok = s3.presigner().presignPutObject(p -> p.signatureDuration(Duration.ofMinutes(5))
                .putObjectRequest(r -> r.bucket("photos").key("uploads/presigned.jpg").contentType("image/jpeg")
                        .contentLength(3L)));
        HttpResponse<String> put = http.send(HttpRequest.newBuilder(ok.url().toURI())
                .header("Content-Type", "image/jpeg")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[] {1, 2, 3})).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).isEqualTo(200);
        assertThat(client.headObject(b -> b.bucket("photos").key("uploads/presigned.jpg")).contentLength())
                .isEqualTo(3L);

        HttpResponse<String> tooBig = http.send(HttpRequest.newBuilder(ok.url().toURI())
                .header("Content-Type", "image/jpeg")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[] {1, 2, 3, 4})).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(tooBig.statusCode()).isEqualTo(403);
        assertThat(tooBig.body()).contains("SignatureDoesNotMatch");
    }

    @Test
    void chunkedBodyPassesThroughTheFaultProxy() throws Exception {
        // A presigned PUT signed without a length, sent with Transfer-Encoding: chunked (unknown length body).
        PresignedPutObjectRequest req = s3.presigner().presignPutObject(p -> p.signatureDuration(Duration.ofMinutes(5))
                .putObjectRequest(r -> r.bucket("photos").key("uploads/chunked.bin")));
        byte[] data = random(200_000, 3);
        HttpResponse<String> put = http.send(HttpRequest.newBuilder(req.url().toURI())
                .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(data))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        assertThat(client.getObjectAsBytes(b -> b.bucket("photos").key("uploads/chunked.bin")).asByteArray())
                .isEqualTo(data);
    }

    @Test
    void copyObject() {
        client.putObject(b -> b.bucket("photos").key("src.txt"), RequestBody.fromString("copy me"));
        client.copyObject(b -> b.sourceBucket("photos").sourceKey("src.txt")
                .destinationBucket("photos").destinationKey("dst/copy.txt"));
        assertThat(client.getObjectAsBytes(b -> b.bucket("photos").key("dst/copy.txt")).asUtf8String())
                .isEqualTo("copy me");
    }

    @Test
    void wrongCredentialsAreRejected() {
        try (S3Client wrong = s3.clientBuilder()
                .overrideConfiguration(o -> o.apiCallTimeout(Duration.ofSeconds(20)))
                .credentialsProvider(
                software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                        software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(
                                LocalCredentials.ACCESS_KEY_ID, "not-the-secret"))).build()) {
            assertThatThrownBy(() -> wrong.listObjectsV2(b -> b.bucket("photos")))
                    .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(403));
            // An upload rejected before its body is sent (100-continue) must not leave the proxy expecting that
            // body on a reused connection: the next request gets its own answer.
            for (int i = 0; i < 2; i++) {
                assertThatThrownBy(() -> wrong.putObject(b -> b.bucket("photos").key("uploads/nope.jpg"),
                        RequestBody.fromBytes(new byte[100_000])))
                        .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(403));
            }
        }
        assertThat(client.listObjectsV2(b -> b.bucket("photos").prefix("uploads/nope")).contents()).isEmpty();
    }

    @Test
    void corsPreflightIsAnsweredForAllowedOrigin() throws Exception {
        HttpResponse<Void> pre = http.send(HttpRequest.newBuilder(URI.create(s3.endpoint() + "/photos/uploads/x.jpg"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "http://localhost:8080")
                .header("Access-Control-Request-Method", "PUT").build(), HttpResponse.BodyHandlers.discarding());
        assertThat(pre.statusCode()).isEqualTo(200);
        assertThat(pre.headers().firstValue("Access-Control-Allow-Origin")).hasValue("http://localhost:8080");
        assertThat(pre.headers().firstValue("Access-Control-Allow-Methods").orElse("")).contains("PUT");

        HttpResponse<Void> other = http.send(HttpRequest.newBuilder(URI.create(s3.endpoint() + "/photos/x.jpg"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "http://evil.example")
                .header("Access-Control-Request-Method", "PUT").build(), HttpResponse.BodyHandlers.discarding());
        assertThat(other.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }

    @Test
    void createBucketIsIdempotent() {
        s3.createBucket("twice");
        s3.createBucket("twice");
        assertThat(client.listBuckets().buckets()).filteredOn(b -> b.name().equals("twice")).hasSize(1);
    }

    @Test
    void invalidBucketNameIsRejectedUpFront() {
        assertThatThrownBy(() -> s3.createBucket("b")).hasMessageContaining("bucket name 'b' is not valid");
        assertThatThrownBy(() -> s3.createBucket("Photos")).hasMessageContaining("lowercase");
    }

    @Test
    void filesystemStoreKeepsObjectsAcrossRestart(@TempDir Path dir) {
        EmbeddedS3.Options options = EmbeddedS3.Options.builder().dataDir(dir.resolve("s3")).build();
        try (EmbeddedS3 first = EmbeddedS3.start(options)) {
            first.createBucket("keep");
            first.client().putObject(b -> b.bucket("keep").key("uploads/p.jpg"), RequestBody.fromString("kept"));
        }
        try (EmbeddedS3 second = EmbeddedS3.start(options)) {
            assertThat(second.client().getObjectAsBytes(b -> b.bucket("keep").key("uploads/p.jpg")).asUtf8String())
                    .isEqualTo("kept");
        }
    }

    @Test
    void restartsOnTheSameFixedPortWithConnectionsStillOpen() throws Exception {
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
            port = free.getLocalPort();
        }
        for (int i = 0; i < 2; i++) {
            try (EmbeddedS3 fixed = EmbeddedS3.start(EmbeddedS3.Options.builder().port(port).build())) {
                fixed.createBucket("fixed");
                assertThat(fixed.endpoint().toString()).isEqualTo("http://127.0.0.1:" + port);
                assertThat(fixed.client().listObjectsV2(b -> b.bucket("fixed")).contents()).isEmpty();
            }
        }
    }

    @Test
    void fixedPortThatIsTakenFailsWithTheAddress() {
        EmbeddedS3.Options taken = EmbeddedS3.Options.builder().port(s3.port()).build();
        assertThatThrownBy(() -> EmbeddedS3.start(taken))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("127.0.0.1:" + s3.port());
    }

    @Test
    void optionsRejectBadPort() {
        assertThatThrownBy(() -> EmbeddedS3.Options.builder().port(70000).build())
                .hasMessageContaining("port must be 0");
    }

    static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    static List<String> keys(S3Client c, String bucket) {
        return new ArrayList<>(c.listObjectsV2(b -> b.bucket(bucket)).contents().stream().map(S3Object::key).toList());
    }
}
