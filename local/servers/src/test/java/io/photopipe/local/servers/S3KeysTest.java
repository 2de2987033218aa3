package io.photopipe.local.servers;

import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.EncodingType;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Keys as S3 treats them, with the real SDK over HTTP against the filesystem store: what S3 stores literally is
 * stored literally and never as an alias of another key; what S3 refuses is refused with S3's status and code. The
 * rules and their sources are in {@code S3KeyRules} and {@code StoredKeys}; the AWS CLI's side is in
 * {@link AwsCliTest}.
 */
class S3KeysTest {

    /** Keys S3 stores as they are, each a distinct object (several would collapse onto another without care). */
    static final List<String> LITERAL = List.of("uploads/../renditions/x", "renditions/x", "uploads/./cat.jpg",
            "uploads/cat.jpg", "uploads//cat.jpg", "uploads/cat.jpg/", "uploads/cat.jpg/thumb.jpg", "./x", "x", "x/..",
            "x/.", "/", "uploads/Summer 2023/café + friends@beach (1).jpg", "uploads/100%.jpg", "uploads/a%2Fb.jpg",
            "uploads/\uD83D\uDCF7 emoji.jpg", "uploads/tab\tand\u0001ctl", ".mpus-not-internal",
            "uploads/" + "long-segment-".repeat(40) + ".jpg", "uploads/" + "d/".repeat(400) + "deep.jpg");

    static EmbeddedS3 s3;
    static S3Client client;
    static Path dir;
    static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start(@TempDir Path tmp) {
        dir = tmp.resolve("s3");
        s3 = EmbeddedS3.start(EmbeddedS3.Options.builder().dataDir(dir).build());
        s3.createBucket("keys");   // LITERAL only: the listing tests know exactly what is there
        s3.createBucket("scratch");
        client = s3.client();
        for (String key : LITERAL) {
            client.putObject(b -> b.bucket("keys").key(key), RequestBody.fromString("body of " + key));
        }
    }

    @AfterAll
    static void stop() {
        s3.close();
    }

    @Test
    void everyKeyIsItsOwnObjectWithItsOwnBody() {
        for (String key : LITERAL) {
            assertThat(client.getObjectAsBytes(b -> b.bucket("keys").key(key)).asUtf8String()).as(key)
                    .isEqualTo("body of " + key);
        }
        assertThat(allKeys("")).containsExactlyInAnyOrderElementsOf(LITERAL);
    }

    @Test
    void dotDotInsideAKeyNeverWritesOutsideItsPrefix() {
        client.putObject(b -> b.bucket("scratch").key("alias/in/../out"), RequestBody.fromString("in"));
        assertThat(allKeys("scratch", "alias/")).containsExactly("alias/in/../out");
        assertThatThrownBy(() -> client.headObject(b -> b.bucket("scratch").key("alias/out")))
                .isInstanceOf(NoSuchKeyException.class);
    }

    @Test
    void listingIsInUtf8BinaryOrderWithCommonPrefixesAndPages() {
        List<String> expected = LITERAL.stream().filter(k -> k.startsWith("uploads/")).sorted(S3KeysTest::utf8Order)
                .toList();
        assertThat(allKeys("uploads/")).containsExactlyElementsOf(expected);

        ListObjectsV2Response top = client.listObjectsV2(b -> b.bucket("keys").prefix("uploads/").delimiter("/")
                .encodingType(EncodingType.URL));
        assertThat(top.commonPrefixes()).extracting(CommonPrefix::prefix)
                .as("S3 cuts at the first '/' after the prefix, so 'uploads/./cat.jpg' rolls up into 'uploads/./'")
                .containsExactly("uploads/../", "uploads/./", "uploads//", "uploads/Summer 2023/", "uploads/cat.jpg/", "uploads/d/");
        assertThat(top.contents()).extracting(S3Object::key).contains("uploads/cat.jpg", "uploads/100%.jpg");

        // pages of 2 entries (keys and prefixes together), V2 with tokens and V1 with markers, end where S3 ends
        List<String> v2 = new ArrayList<>();
        String token = null;
        do {
            String t = token;
            ListObjectsV2Response page = client.listObjectsV2(b -> b.bucket("keys").prefix("uploads/").delimiter("/")
                    .maxKeys(2).continuationToken(t).encodingType(EncodingType.URL));
            assertThat(page.contents().size() + page.commonPrefixes().size()).isLessThanOrEqualTo(2);
            page.contents().forEach(o -> v2.add(o.key()));
            page.commonPrefixes().forEach(p -> v2.add(p.prefix()));
            token = page.nextContinuationToken();
        } while (token != null);
        List<String> all = new ArrayList<>(top.contents().stream().map(S3Object::key).toList());
        top.commonPrefixes().forEach(p -> all.add(p.prefix()));
        assertThat(v2).containsExactlyInAnyOrderElementsOf(all);

        List<String> v1 = new ArrayList<>();
        String marker = null;
        boolean more;
        do {
            String m = marker;
            var page = client.listObjects(b -> b.bucket("keys").prefix("uploads/").delimiter("/").maxKeys(3).marker(m)
                    .encodingType(EncodingType.URL));
            page.contents().forEach(o -> v1.add(o.key()));
            page.commonPrefixes().forEach(p -> v1.add(p.prefix()));
            more = Boolean.TRUE.equals(page.isTruncated());
            marker = page.nextMarker();
        } while (more);
        assertThat(v1).containsExactlyInAnyOrderElementsOf(all);

        assertThat(client.listObjectsV2(b -> b.bucket("keys").startAfter("uploads/cat.jpg/").prefix("uploads/c"))
                .contents()).extracting(S3Object::key).containsExactly("uploads/cat.jpg/thumb.jpg");
    }

    @Test
    void keysS3RefusesGetS3sAnswer() throws Exception {
        for (String key : List.of("../x", "a/../../x", "..")) {
            assertThatThrownBy(() -> client.putObject(b -> b.bucket("scratch").key(key), RequestBody.fromString("x")))
                    .as(key).isInstanceOfSatisfying(S3Exception.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(400);
                        assertThat(e.awsErrorDetails().errorCode()).as("S3 sends no body").isNull();
                    });
        }
        String tooLong = "k".repeat(1021) + "éé";
        assertThatThrownBy(() -> client.putObject(b -> b.bucket("scratch").key(tooLong), RequestBody.fromString("x")))
                .isInstanceOfSatisfying(S3Exception.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("KeyTooLongError");
                });
        String longest = "k".repeat(1020) + "éé"; // exactly 1,024 bytes
        client.putObject(b -> b.bucket("scratch").key(longest), RequestBody.fromString("ok"));
        assertThat(client.headObject(b -> b.bucket("scratch").key(longest)).contentLength()).isEqualTo(2);

        // invalid UTF-8 cannot be built with the SDK: a raw request (S3 parses the URI before it checks the signature)
        HttpResponse<String> bad = http.send(HttpRequest.newBuilder(URI.create(s3.endpoint() + "/scratch/a%FF"))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("<Code>InvalidURI</Code>", "Couldn't parse the specified URI.");
        assertThat(allKeys("scratch", "")).doesNotContain("../x", "a/../../x", "..", "x", "a%FF")
                .doesNotContain(tooLong).contains(longest);
    }

    @Test
    void copyMultipartPresignedAndDeleteKeepTheLiteralKey() throws Exception {
        String src = "uploads/../renditions/x";
        client.copyObject(b -> b.sourceBucket("keys").sourceKey(src).destinationBucket("scratch")
                .destinationKey("copies/./x"));
        assertThat(client.getObjectAsBytes(b -> b.bucket("scratch").key("copies/./x")).asUtf8String())
                .isEqualTo("body of " + src);

        String mp = "multi//part/../x.bin";
        String id = client.createMultipartUpload(b -> b.bucket("scratch").key(mp)).uploadId();
        byte[] part = new byte[5 * 1024 * 1024];
        var p1 = client.uploadPart(b -> b.bucket("scratch").key(mp).uploadId(id).partNumber(1),
                RequestBody.fromBytes(part));
        var p2 = client.uploadPart(b -> b.bucket("scratch").key(mp).uploadId(id).partNumber(2),
                RequestBody.fromString("tail"));
        assertThat(client.listMultipartUploads(b -> b.bucket("scratch")).uploads()).extracting(u -> u.key())
                .contains(mp);
        client.completeMultipartUpload(b -> b.bucket("scratch").key(mp).uploadId(id).multipartUpload(u -> u.parts(
                CompletedPart.builder().partNumber(1).eTag(p1.eTag()).build(),
                CompletedPart.builder().partNumber(2).eTag(p2.eTag()).build())));
        assertThat(client.headObject(b -> b.bucket("scratch").key(mp)).contentLength()).isEqualTo(part.length + 4);

        var presigned = s3.presigner().presignGetObject(b -> b.signatureDuration(java.time.Duration.ofMinutes(5))
                .getObjectRequest(g -> g.bucket("keys").key(src)));
        HttpResponse<String> got = http.send(HttpRequest.newBuilder(presigned.url().toURI()).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(got.statusCode()).isEqualTo(200);
        assertThat(got.body()).isEqualTo("body of " + src);

        client.putObject(b -> b.bucket("scratch").key("gone/./x"), RequestBody.fromString("x"));
        client.putObject(b -> b.bucket("scratch").key("gone/x"), RequestBody.fromString("x"));
        client.deleteObject(b -> b.bucket("scratch").key("gone/./x"));
        assertThat(allKeys("scratch", "gone/")).containsExactly("gone/x");
        client.deleteObjects(b -> b.bucket("scratch").delete(d -> d.objects(o -> o.key("gone/x"))));
        assertThat(allKeys("scratch", "gone/")).isEmpty();
    }

    @Test
    void awkwardKeysSurviveARestartAndOldLayoutsAreMoved(@TempDir Path tmp) throws Exception {
        Path data = tmp.resolve("s3");
        Files.createDirectories(data);
        // objects written by the store directly, as before keys were encoded (the key as a plain path)
        BlobStore old = new FilesystemNio2BlobStore(data.toAbsolutePath().toString());
        old.createContainer("legacy");
        old.putBlob(PutObjectRequest.builder().bucket("legacy").key("uploads/cat.jpg").contentLength(3L).build(),
                new ByteArrayInputStream("cat".getBytes(StandardCharsets.UTF_8)));
        old.putBlob(PutObjectRequest.builder().bucket("legacy").key("folder/").contentLength(0L).build(),
                new ByteArrayInputStream(new byte[0]));
        try (EmbeddedS3 first = EmbeddedS3.start(EmbeddedS3.Options.builder().dataDir(data).build())) {
            assertThat(first.client().getObjectAsBytes(b -> b.bucket("legacy").key("uploads/cat.jpg")).asUtf8String())
                    .isEqualTo("cat");
            assertThat(first.client().listObjectsV2(b -> b.bucket("legacy")).contents()).extracting(S3Object::key)
                    .containsExactly("folder/", "uploads/cat.jpg");
            first.client().putObject(b -> b.bucket("legacy").key("a/../b"), RequestBody.fromString("ab"));
        }
        assertThat(Files.exists(data.resolve("legacy/uploads/cat.jpg"))).as("moved, not copied").isFalse();
        try (EmbeddedS3 second = EmbeddedS3.start(EmbeddedS3.Options.builder().dataDir(data).build())) {
            assertThat(second.client().listObjectsV2(b -> b.bucket("legacy")).contents()).extracting(S3Object::key)
                    .containsExactly("a/../b", "folder/", "uploads/cat.jpg");
            assertThat(second.client().getObjectAsBytes(b -> b.bucket("legacy").key("a/../b")).asUtf8String())
                    .isEqualTo("ab");
        }
    }

    private static List<String> allKeys(String prefix) {
        return allKeys("keys", prefix);
    }

    private static List<String> allKeys(String bucket, String prefix) {
        List<String> keys = new ArrayList<>();
        // encoding-type=url, as botocore always asks: XML 1.0 cannot carry some control characters (ListObjectsV2)
        client.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix).maxKeys(7).encodingType(EncodingType.URL))
                .contents()
                .forEach(o -> keys.add(o.key()));
        return keys;
    }

    static int utf8Order(String a, String b) {
        return java.util.Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
