package io.photopipe.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.photopipe.core.FunctionEnv;
import io.photopipe.api.internal.S3ObjectStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/** {@code POST /uploads} and the presigned upload it returns, against a real S3 server that checks signatures. */
class UploadsTest {
    private static TestBed bed;

    @BeforeAll
    static void start() {
        bed = TestBed.start(env -> {
            env.put(FunctionEnv.MAX_UPLOAD_BYTES, "200000");
            env.put(FunctionEnv.ALLOWED_CONTENT_TYPES, "image/jpeg,image/png,image/webp");
        });
    }

    @AfterAll
    static void stop() {
        bed.close();
    }

    @Test
    void answers201WithAPresignedPutTheStatusUrlAndTheExpiry() {
        Instant before = Instant.now();
        HttpResponse response = bed.post("/uploads",
                "{\"fileName\": \"Beach day.JPG\", \"contentType\": \"image/jpeg\", \"size\": 139435}");

        assertThat(response.status()).isEqualTo(201);
        assertThat(response.header("Content-Type")).isEqualTo("application/json");
        JsonNode body = TestBed.json(response);
        String id = body.get("id").asText();
        assertThat(id).matches("[0-7][0-9a-hjkmnp-tv-z]{25}");
        assertThat(body.get("fileName").asText()).isEqualTo("Beach-day.jpg");
        assertThat(body.get("statusUrl").asText())
                .isEqualTo("https://abc123def4.execute-api.eu-west-1.amazonaws.com/images/" + id);
        assertThat(response.header("Location")).isEqualTo(body.get("statusUrl").asText());
        JsonNode upload = body.get("upload");
        assertThat(upload.get("method").asText()).isEqualTo("PUT");
        assertThat(upload.get("url").asText())
                .startsWith(bed.s3.endpoint() + "/photopipe-photos/uploads/" + id + "/Beach-day.jpg?")
                .contains("X-Amz-Signature=", "X-Amz-SignedHeaders=content-length%3Bcontent-type%3Bhost%3B"
                        + "if-none-match%3Bx-amz-meta-photopipe-owner");
        assertThat(upload.get("headers").properties()).extracting(Map.Entry::getKey)
                .containsExactlyInAnyOrder("Content-Type", "If-None-Match", "x-amz-meta-photopipe-owner");
        assertThat(upload.get("headers").get("Content-Type").asText()).isEqualTo("image/jpeg");
        assertThat(upload.get("headers").get("If-None-Match").asText()).isEqualTo("*");
        assertThat(upload.get("headers").get("x-amz-meta-photopipe-owner").asText())
                .isEqualTo("jwt%3Ahttps%3A%2F%2Fissuer.example.com%2F%7Calice");
        assertThat(upload.get("fields").isEmpty()).isTrue();
        Instant expiresAt = Instant.parse(body.get("expiresAt").asText());
        Duration lifetime = UploadExpiry.forSize(139435, bed.config.uploadUrlExpiry());
        assertThat(expiresAt).isBetween(before.plus(lifetime).minusSeconds(1),
                Instant.now().plus(lifetime).plusSeconds(1));
    }

    @Test
    void aReplayedUploadIsRefusedAndLeavesThePhotoAsItWas() {
        byte[] photo = TestBed.photo("landscape.jpg");
        JsonNode created = bed.createAndUpload("landscape.jpg", "image/jpeg", photo);
        String key = "uploads/" + created.get("id").asText() + "/landscape.jpg";
        String eTag = bed.s3.client().headObject(b -> b.bucket("photopipe-photos").key(key)).eTag();

        // The same URL and headers again, within the expiry: S3 refuses the second write (so no second event)
        var replay = bed.upload(created.get("upload"), photo, Map.of());

        assertThat(replay.statusCode()).isEqualTo(412);
        assertThat(replay.body()).contains("PreconditionFailed");
        assertThat(bed.s3.client().headObject(b -> b.bucket("photopipe-photos").key(key)).eTag()).isEqualTo(eTag);
    }

    @Test
    void theSignedHeadersCannotBeDroppedOrChanged() {
        // A small body: S3 refuses from the headers, and a large unread body can race the refusal's connection close
        byte[] photo = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 0};
        for (Map.Entry<String, String> changed : Map.of("If-None-Match", "\"abc\"",
                "x-amz-meta-photopipe-owner", "jwt%3Ahttps%3A%2F%2Fissuer.example.com%2F%7Cmallory").entrySet()) {
            JsonNode created = bed.createUpload("landscape.jpg", "image/jpeg", photo.length);

            var response = bed.upload(created.get("upload"), photo, Map.of(changed.getKey(), changed.getValue()));

            assertThat(response.statusCode()).as(changed.getKey()).isEqualTo(403);
            assertThat(response.body()).contains("SignatureDoesNotMatch");
            assertNothingAt(created);
        }
    }

    @Test
    void thePhotoRecordsItsOwnerAsSigned() {
        JsonNode created = bed.createAndUpload("landscape.jpg", "image/jpeg", TestBed.photo("landscape.jpg"));

        var head = bed.s3.client().headObject(b -> b.bucket("photopipe-photos")
                .key("uploads/" + created.get("id").asText() + "/landscape.jpg"));

        assertThat(head.metadata()).containsEntry(UploadTicket.OWNER_METADATA,
                "jwt%3Ahttps%3A%2F%2Fissuer.example.com%2F%7Calice");
    }

    @Test
    void anUploadUrlLivesAsLongAsItsSizeNeedsOnASlowUplinkAndNoLongerThanTheCeiling() {
        Duration ceiling = Duration.ofSeconds(600);
        assertThat(UploadExpiry.forSize(1, ceiling)).isEqualTo(Duration.ofSeconds(61));
        assertThat(UploadExpiry.forSize(4_000_000, ceiling)).isEqualTo(Duration.ofSeconds(60 + 32));
        // The default maximum photo, 50 MB at 1 Mbit/s: 420 s, plus a minute to start
        assertThat(UploadExpiry.forSize(52_428_800, ceiling)).isEqualTo(Duration.ofSeconds(60 + 420));
        assertThat(UploadExpiry.forSize(500_000_000, ceiling)).isEqualTo(ceiling);

        JsonNode small = bed.createUpload("a.jpg", "image/jpeg", 5);
        assertThat(small.get("upload").get("url").asText()).contains("X-Amz-Expires=61&");
    }

    @Test
    void s3AcceptsTheUploadWithTheDeclaredTypeAndSize() {
        byte[] photo = TestBed.photo("landscape.jpg");
        JsonNode created = bed.createUpload("landscape.jpg", "image/jpeg", photo.length);

        var response = bed.upload(created.get("upload"), photo, Map.of());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        String key = "uploads/" + created.get("id").asText() + "/landscape.jpg";
        ResponseBytes<GetObjectResponse> stored = bed.s3.client()
                .getObjectAsBytes(b -> b.bucket("photopipe-photos").key(key));
        assertThat(stored.asByteArray()).isEqualTo(photo);
        assertThat(stored.response().contentType()).isEqualTo("image/jpeg");
    }

    @Test
    void s3RefusesALargerBody() {
        byte[] photo = TestBed.photo("landscape.jpg");
        JsonNode created = bed.createUpload("landscape.jpg", "image/jpeg", 1000);

        var response = bed.upload(created.get("upload"), photo, Map.of());

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.body()).contains("SignatureDoesNotMatch");
        assertNothingAt(created);
    }

    @Test
    void s3RefusesASmallerBody() {
        byte[] photo = TestBed.photo("landscape.jpg");
        JsonNode created = bed.createUpload("landscape.jpg", "image/jpeg", photo.length);

        var response = bed.upload(created.get("upload"), Arrays.copyOf(photo, photo.length - 1), Map.of());

        assertThat(response.statusCode()).isEqualTo(403);
        assertNothingAt(created);
    }

    @Test
    void s3RefusesAnotherContentType() {
        byte[] photo = TestBed.photo("interlaced.png");
        JsonNode created = bed.createUpload("interlaced.png", "image/png", photo.length);

        var response = bed.upload(created.get("upload"), photo, Map.of("Content-Type", "text/html"));

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.body()).contains("SignatureDoesNotMatch");
        assertNothingAt(created);
    }

    @Test
    void theUploadRecordMapsTheIdToTheKey() {
        JsonNode created = bed.createUpload("../../x.png", "image/png", 10);
        String id = created.get("id").asText();

        String key = "renditions/_api/uploads/" + id + ".json";
        String record = bed.s3.client().getObjectAsBytes(b -> b.bucket("photopipe-photos").key(key)).asUtf8String();
        UploadTicket ticket = UploadTicket.fromJson(record);

        assertThat(ticket.key()).isEqualTo("uploads/" + id + "/x.png");
        assertThat(ticket.owner()).isEqualTo("jwt:https://issuer.example.com/|alice");
        assertThat(ticket.size()).isEqualTo(10);
        assertThat(ticket.contentType()).isEqualTo("image/png");
        assertThat(ticket.expiresAt()).isEqualTo(Instant.parse(created.get("expiresAt").asText()));
    }

    @Test
    void everyUploadGetsItsOwnKeyEvenForTheSameName() {
        String a = bed.createUpload("same.jpg", "image/jpeg", 5).get("upload").get("url").asText();
        String b = bed.createUpload("same.jpg", "image/jpeg", 5).get("upload").get("url").asText();
        assertThat(a.substring(0, a.indexOf('?'))).isNotEqualTo(b.substring(0, b.indexOf('?')));
    }

    @Test
    void contentTypeParametersAndCaseAreNormalised() {
        JsonNode created = bed.createUpload("a.webp", "Image/WebP; q=1", 5);
        assertThat(created.get("upload").get("headers").get("Content-Type").asText()).isEqualTo("image/webp");
    }

    @ParameterizedTest(name = "{0} -> {1} {2}")
    @CsvSource(delimiter = '|', value = {
            "not json|400|invalid-json",
            "[1, 2]|400|invalid-json",
            "''|400|invalid-json",
            "{\"contentType\": \"image/jpeg\", \"size\": 5}|400|invalid-file-name",
            "{\"fileName\": \"   \", \"contentType\": \"image/jpeg\", \"size\": 5}|400|invalid-file-name",
            "{\"fileName\": 42, \"contentType\": \"image/jpeg\", \"size\": 5}|400|invalid-file-name",
            "{\"fileName\": \"a.jpg\", \"size\": 5}|400|invalid-content-type",
            "{\"fileName\": \"a.jpg\", \"contentType\": \"jpeg\", \"size\": 5}|400|invalid-content-type",
            "{\"fileName\": \"a.jpg\", \"contentType\": \"image/gif\", \"size\": 5}|415|unsupported-content-type",
            "{\"fileName\": \"a.jpg\", \"contentType\": \"text/html\", \"size\": 5}|415|unsupported-content-type",
            "{\"fileName\": \"a.jpg\", \"contentType\": \"image/jpeg\"}|400|invalid-size",
            "{\"fileName\": \"a.jpg\", \"contentType\": \"image/jpeg\", \"size\": \"5\"}|400|invalid-size",
            "{\"fileName\": \"a.jpg\", \"contentType\": \"image/jpeg\", \"size\": 1.5}|400|invalid-size",
            "{\"fileName\": \"a.jpg\", \"contentType\": \"image/jpeg\", \"size\": 0}|400|invalid-size",
            "{\"fileName\": \"a.jpg\", \"contentType\": \"image/jpeg\", \"size\": -1}|400|invalid-size",
            "{\"fileName\": \"a.jpg\", \"contentType\": \"image/jpeg\", \"size\": 99999999999999999999}|400|invalid-size",
            "{\"fileName\": \"a.jpg\", \"contentType\": \"image/jpeg\", \"size\": 200001}|413|file-too-large",
    })
    void invalidDeclarationsGetAStableCodeAndStatus(String body, int status, String code) {
        HttpResponse response = bed.post("/uploads", body);

        assertThat(response.status()).as(response.body()).isEqualTo(status);
        JsonNode error = TestBed.json(response);
        assertThat(error.get("code").asText()).isEqualTo(code);
        assertThat(error.get("message").asText()).isNotBlank();
        assertThat(error.properties()).hasSize(2);
    }

    @Test
    void messagesSayWhatIsAllowed() {
        JsonNode tooLarge = TestBed.json(bed.post("/uploads",
                "{\"fileName\": \"a.jpg\", \"contentType\": \"image/jpeg\", \"size\": 300000}"));
        assertThat(tooLarge.get("message").asText()).isEqualTo(
                "the photo is 300000 bytes; at most 200000 bytes (0.2 MB) are accepted");
        JsonNode type = TestBed.json(bed.post("/uploads",
                "{\"fileName\": \"a.gif\", \"contentType\": \"image/gif\", \"size\": 5}"));
        assertThat(type.get("message").asText()).isEqualTo(
                "contentType 'image/gif' is not accepted; use one of image/jpeg, image/png, image/webp");
    }

    @Test
    void aTooLongFileNameOrBodyIsRefused() {
        JsonNode name = TestBed.json(bed.post("/uploads", "{\"fileName\": \"" + "a".repeat(256)
                + ".jpg\", \"contentType\": \"image/jpeg\", \"size\": 5}"));
        assertThat(name.get("code").asText()).isEqualTo("invalid-file-name");

        HttpResponse body = bed.post("/uploads", "{\"pad\": \"" + "x".repeat(20_000) + "\"}");
        assertThat(body.status()).isEqualTo(413);
        assertThat(TestBed.json(body).get("code").asText()).isEqualTo("request-too-large");
    }

    @Test
    void presignedUploadsExpire() {
        // The SDK's presigner signs with the real clock: the URL's lifetime is what S3 will check
        JsonNode created = bed.createUpload("a.jpg", "image/jpeg", 150_000);
        Duration lifetime = UploadExpiry.forSize(150_000, bed.config.uploadUrlExpiry());
        assertThat(created.get("upload").get("url").asText()).contains("X-Amz-Expires=" + lifetime.toSeconds());
        assertThat(Duration.between(Instant.now(), Instant.parse(created.get("expiresAt").asText())))
                .isLessThanOrEqualTo(lifetime);
    }

    @Test
    void aRepeatedIdNeverTakesOverAnotherUpload() {
        // As if two environments restored from one snapshot drew the same "random" bits at the same millisecond
        Clock frozen = Clock.fixed(Instant.parse("2026-11-26T12:00:00Z"), ZoneOffset.UTC);
        RandomGenerator stuck = () -> 42L;
        PhotoApi api = new PhotoApi(bed.config, new S3ObjectStore(bed.s3.client(), bed.s3.presigner()), frozen, stuck);
        String declaration = "{\"fileName\": \"a.jpg\", \"contentType\": \"image/jpeg\", \"size\": 5}";
        HttpRequest request = new HttpRequest("POST", "/uploads", Map.of(), declaration, "https://api.example.com",
                TestBed.ALICE);

        HttpResponse first = api.handle(request);
        HttpResponse second = api.handle(request);

        assertThat(first.status()).isEqualTo(201);
        assertThat(second.status()).isEqualTo(500);
        String id = TestBed.json(first).get("id").asText();
        UploadTicket ticket = UploadTicket.fromJson(bed.s3.client().getObjectAsBytes(b -> b.bucket("photopipe-photos")
                .key("renditions/_api/uploads/" + id + ".json")).asUtf8String());
        assertThat(ticket.createdAt()).isEqualTo(frozen.instant());
    }

    private static void assertNothingAt(JsonNode created) {
        String prefix = "uploads/" + created.get("id").asText() + "/";
        assertThat(bed.s3.client().listObjectsV2(b -> b.bucket("photopipe-photos").prefix(prefix)).contents())
                .isEmpty();
    }
}
