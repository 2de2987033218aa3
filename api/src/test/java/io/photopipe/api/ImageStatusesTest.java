package io.photopipe.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.photopipe.core.FunctionEnv;
import io.photopipe.core.OutputLayout;
import io.photopipe.core.PhotoStatus;
import io.photopipe.core.PipelineSettings;
import io.photopipe.core.Rendition;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * {@code GET /images/{id}} through its states, with status documents written exactly as the worker writes them
 * ({@link PhotoStatus} at {@link OutputLayout#statusKey}) and URLs fetched over HTTP.
 */
class ImageStatusesTest {
    private static TestBed shared;
    private TestBed bed;

    @BeforeAll
    static void start() {
        shared = TestBed.start();
    }

    @AfterAll
    static void stop() {
        shared.close();
    }

    @BeforeEach
    void useShared() {
        bed = shared;
        bed.clock.reset();
    }

    @Test
    void pendingUntilTheUploadArrivesThenUntilTheWorkerIsDoneThenReadyWithUrlsThatFetchTheRightBytes()
            throws IOException {
        byte[] photo = TestBed.photo("landscape.jpg");
        JsonNode created = bed.createUpload("landscape.jpg", "image/jpeg", photo.length);
        String id = created.get("id").asText();

        JsonNode waiting = status(id);
        assertThat(waiting.get("status").asText()).isEqualTo("pending");
        assertThat(waiting.get("stage").asText()).isEqualTo("awaiting-upload");

        assertThat(bed.upload(created.get("upload"), photo, Map.of()).statusCode()).isEqualTo(200);
        JsonNode processing = status(id);
        assertThat(processing.get("status").asText()).isEqualTo("pending");
        assertThat(processing.get("stage").asText()).isEqualTo("processing");

        Map<String, byte[]> renditions = workerMakesRenditions(id, "landscape.jpg", "thumb", "small");
        JsonNode ready = status(id);

        assertThat(ready.get("status").asText()).isEqualTo("ready");
        assertThat(ready.get("fileName").asText()).isEqualTo("landscape.jpg");
        assertThat(TestBed.fetch(ready.get("original").asText())).isEqualTo(photo);
        assertThat(ready.get("renditions").properties()).extracting(Map.Entry::getKey)
                .as("smallest first").containsExactly("thumb", "small");
        for (String name : List.of("thumb", "small")) {
            String url = ready.get("renditions").get(name).asText();
            assertThat(url).contains("X-Amz-Expires=" + bed.config.downloadUrlExpiry().toSeconds());
            assertThat(TestBed.fetch(url)).as(name).isEqualTo(renditions.get(name));
        }
        assertThat(ready.get("details").get("thumb").get("width").asInt()).isEqualTo(128);
        assertThat(ready.get("details").get("thumb").get("contentType").asText()).isEqualTo("image/jpeg");
    }

    @Test
    void failedWithTheWorkersReason() {
        byte[] notAPhoto = "<html>not a photo</html>".getBytes();
        JsonNode created = bed.createUpload("fake.jpg", "image/jpeg", notAPhoto.length);
        String id = created.get("id").asText();
        bed.upload(created.get("upload"), notAPhoto, Map.of());
        String key = "uploads/" + id + "/fake.jpg";
        String eTag = eTag(key);
        PhotoStatus failed = PhotoStatus.failed("photopipe-photos", key, eTag, "hash", "not-an-image",
                "the object is not an image any reader recognises (HTML text)");
        put(layout().statusKey(key), failed.toJson());

        JsonNode status = status(id);

        assertThat(status.get("status").asText()).isEqualTo("failed");
        assertThat(status.get("reasonCode").asText()).isEqualTo("not-an-image");
        assertThat(status.get("reason").asText()).isEqualTo(
                "the object is not an image any reader recognises (HTML text)");
        assertThat(status.has("renditions")).isFalse();
    }

    @Test
    void aPhotoRefusedBeforeItWasReadIsFailedToo() {
        byte[] photo = TestBed.photo("landscape.jpg");
        JsonNode created = bed.createUpload("big.jpg", "image/jpeg", photo.length);
        String id = created.get("id").asText();
        bed.upload(created.get("upload"), photo, Map.of());
        String key = "uploads/" + id + "/big.jpg";
        // The worker's size guard refuses from the notification's size, with no ETag of the object it never read
        put(layout().statusKey(key), PhotoStatus.failed("photopipe-photos", key, null, "hash", "too-large",
                "the photo is 139435 bytes, more than the limit of 100000 bytes").toJson());

        JsonNode status = status(id);
        assertThat(status.get("status").asText()).isEqualTo("failed");
        assertThat(status.get("reasonCode").asText()).isEqualTo("too-large");
    }

    @Test
    void aStatusForAnEarlierVersionOfThePhotoIsNotThisUploadsOutcome() {
        byte[] photo = TestBed.photo("landscape.jpg");
        JsonNode created = bed.createUpload("a.jpg", "image/jpeg", photo.length);
        String id = created.get("id").asText();
        bed.upload(created.get("upload"), photo, Map.of());
        String key = "uploads/" + id + "/a.jpg";
        put(layout().statusKey(key), PhotoStatus.failed("photopipe-photos", key, "0123456789abcdef", "hash",
                "decode-failed", "an older object").toJson());

        assertThat(status(id).get("stage").asText()).isEqualTo("processing");
    }

    @Test
    void aPhotoWhoseLastDeliveryDiedIsFailedFromTheAttemptRecordNotPendingForever() {
        byte[] photo = TestBed.photo("landscape.jpg");
        JsonNode created = bed.createUpload("heavy.jpg", "image/jpeg", photo.length);
        String id = created.get("id").asText();
        bed.upload(created.get("upload"), photo, Map.of());
        String key = "uploads/" + id + "/heavy.jpg";
        java.time.Instant started = bed.clock.instant();
        // As the worker records it before the download: delivery 5 of 5, and then its environment died.
        put(layout().attemptKey(key), io.photopipe.core.AttemptRecord.empty("photopipe-photos", key)
                .with(io.photopipe.core.AttemptRecord.Attempt.started("m-1", 5, 5, eTag(key),
                        "2026/12/08/[$LATEST]abc", started, started.plusSeconds(60))).toJson());

        assertThat(status(id).get("stage").asText()).as("its deadline has not passed").isEqualTo("processing");
        bed.clock.advance(Duration.ofMinutes(2));
        JsonNode status = status(id);
        assertThat(status.get("status").asText()).isEqualTo("failed");
        assertThat(status.get("reasonCode").asText()).isEqualTo("crashed-during-render");
        assertThat(status.get("reason").asText()).contains("on delivery 5 of 5", "environment 2026/12/08/[$LATEST]abc");
    }

    @Test
    void publicBaseUrlReplacesPresignedGets() {
        bed = TestBed.start(env -> env.put(FunctionEnv.PUBLIC_BASE_URL, "https://cdn.example.com/"));
        try {
            publicUrls();
        } finally {
            bed.close();
        }
    }

    private void publicUrls() {
        byte[] photo = TestBed.photo("landscape.jpg");
        JsonNode created = bed.createUpload("Sun set.jpg", "image/jpeg", photo.length);
        String id = created.get("id").asText();
        bed.upload(created.get("upload"), photo, Map.of());
        workerMakesRenditions(id, "Sun-set.jpg", "thumb");

        JsonNode ready = status(id);

        assertThat(ready.get("renditions").get("thumb").asText())
                .isEqualTo("https://cdn.example.com/renditions/" + id + "/Sun-set.jpg/thumb.jpg");
        // The original never goes through the public base URL: it is the owner's, presigned
        assertThat(ready.get("original").asText()).startsWith(bed.s3.endpoint() + "/photopipe-photos/uploads/" + id)
                .contains("X-Amz-Signature=");
        assertThat(ready.has("urlsExpireAt")).isTrue();
    }

    @Test
    void someoneElsesPhotoIsAnsweredExactlyLikeAPhotoThatDoesNotExist() {
        byte[] photo = TestBed.photo("landscape.jpg");
        JsonNode created = bed.createUpload("landscape.jpg", "image/jpeg", photo.length);
        String id = created.get("id").asText();
        String unknown = ImageId.random(java.time.Instant.now(), new java.security.SecureRandom()).value();

        for (boolean uploaded : new boolean[] {false, true}) {
            if (uploaded) {
                bed.upload(created.get("upload"), photo, Map.of());
                workerMakesRenditions(id, "landscape.jpg", "thumb");
            }
            HttpResponse bobs = bed.get("/images/" + id, TestBed.BOB);
            HttpResponse none = bed.get("/images/" + unknown, TestBed.BOB);

            assertThat(bobs.status()).isEqualTo(404).isEqualTo(none.status());
            assertThat(bobs.headers()).isEqualTo(none.headers());
            assertThat(bobs.body().replace(id, "ID")).isEqualTo(none.body().replace(unknown, "ID"));
            assertThat(TestBed.json(bobs).get("code").asText()).isEqualTo("image-not-found");
        }
        assertThat(status(id).get("status").asText()).as("alice still sees hers").isEqualTo("ready");
    }

    @Test
    void afterItsTicketExpiredAPhotoAnswersForItsOwnerFromWhatWasSignedIntoIt() {
        byte[] photo = TestBed.photo("landscape.jpg");
        String id = bed.createAndUpload("Old photo.jpg", "image/jpeg", photo).get("id").asText();
        workerMakesRenditions(id, "Old-photo.jpg", "thumb");
        expireTicket(id);

        JsonNode ready = status(id);

        assertThat(ready.get("status").asText()).isEqualTo("ready");
        assertThat(ready.get("fileName").asText()).isEqualTo("Old-photo.jpg");
        assertThat(TestBed.fetch(ready.get("original").asText())).isEqualTo(photo);
        assertThat(bed.get("/images/" + id, TestBed.BOB).status()).isEqualTo(404);
    }

    @Test
    void anAbandonedUploadLeavesNothingOnceItsTicketExpired() {
        String id = bed.createUpload("never.jpg", "image/jpeg", 5).get("id").asText();
        expireTicket(id);

        HttpResponse response = bed.get("/images/" + id);

        assertThat(response.status()).isEqualTo(404);
        assertThat(TestBed.json(response).get("code").asText()).isEqualTo("image-not-found");
    }

    @Test
    void aTicketFromBeforeOwnersWereRecordedIsNobodys() {
        String id = bed.createUpload("a.jpg", "image/jpeg", 5).get("id").asText();
        String key = "renditions/_api/uploads/" + id + ".json";
        String legacy = bed.s3.client().getObjectAsBytes(b -> b.bucket("photopipe-photos").key(key)).asUtf8String()
                .replaceAll(",\"owner\":\"[^\"]*\"", "");
        assertThat(legacy).doesNotContain("owner");
        put(key, legacy);

        assertThat(bed.get("/images/" + id).status()).isEqualTo(404);
    }

    @Test
    void anAnonymousDeploymentSharesAPhotoByItsIdButNeverItsOriginal() {
        try (TestBed anonymous = TestBed.start(env -> env.put(FunctionEnv.API_AUTH, "none"))) {
            bed = anonymous;
            byte[] photo = TestBed.photo("landscape.jpg");
            Identity uploader = Identity.anonymous("203.0.113.7");
            JsonNode created = bed.createUpload("landscape.jpg", "image/jpeg", photo.length, uploader);
            assertThat(created.get("upload").get("headers").has("x-amz-meta-photopipe-owner")).isFalse();
            String id = created.get("id").asText();
            bed.upload(created.get("upload"), photo, Map.of());
            workerMakesRenditions(id, "landscape.jpg", "thumb");

            HttpResponse shared = bed.get("/images/" + id, Identity.anonymous("198.51.100.23"));

            assertThat(shared.status()).isEqualTo(200);
            JsonNode ready = TestBed.json(shared);
            assertThat(ready.get("status").asText()).isEqualTo("ready");
            assertThat(ready.has("renditions")).isTrue();
            assertThat(ready.has("original")).as("the original keeps the EXIF the renditions drop").isFalse();
        }
    }

    @Test
    void anUploadThatNeverArrivesExpires() {
        JsonNode created = bed.createUpload("a.jpg", "image/jpeg", 5);
        String id = created.get("id").asText();

        bed.clock.advance(untilExpiry(created).plus(ImageStatuses.LATE_UPLOAD_GRACE).plusSeconds(1));
        HttpResponse response = bed.get("/images/" + id);

        assertThat(response.status()).isEqualTo(404);
        assertThat(TestBed.json(response).get("code").asText()).isEqualTo("upload-expired");
    }

    @Test
    void aLateUploadWithinTheGraceIsStillPending() {
        JsonNode created = bed.createUpload("a.jpg", "image/jpeg", 5);
        String id = created.get("id").asText();
        bed.clock.advance(untilExpiry(created).plus(Duration.ofMinutes(1)));
        assertThat(status(id).get("status").asText()).isEqualTo("pending");
    }

    @Test
    void primingTouchesNoObject() {
        try (TestBed empty = TestBed.start()) {
            empty.api.prime();
            assertThat(empty.s3.client().listObjectsV2(b -> b.bucket("photopipe-photos")).contents()).isEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"01jdq3zk7m8x9v2t4r6p0n1b5c", "not-an-id", "..%2F..%2Fetc%2Fpasswd",
            "01JDQ3ZK7M8X9V2T4R6P0N1B5C"})
    void unknownOrMalformedIdsAre404(String id) {
        HttpResponse response = bed.get("/images/" + id);

        assertThat(response.status()).isEqualTo(404);
        assertThat(TestBed.json(response).get("code").asText()).isEqualTo("image-not-found");
    }

    /** Writes renditions and the READY status document, as the worker does when it is done with a photo. */
    private Map<String, byte[]> workerMakesRenditions(String id, String fileName, String... names) {
        String key = "uploads/" + id + "/" + fileName;
        PipelineSettings settings = PipelineSettings.defaults();
        Map<String, PhotoStatus.Output> outputs = new LinkedHashMap<>();
        Map<String, byte[]> bytes = new LinkedHashMap<>();
        for (String name : names) {
            Rendition rendition = settings.renditions().stream().filter(r -> r.name().equals(name)).findFirst()
                    .orElseThrow();
            byte[] jpeg = scaled(TestBed.photo("landscape.jpg"), rendition.width());
            String renditionKey = layout().renditionKey(key, rendition);
            bed.s3.client().putObject(b -> b.bucket("photopipe-photos").key(renditionKey).contentType("image/jpeg"),
                    RequestBody.fromBytes(jpeg));
            outputs.put(name, new PhotoStatus.Output("photopipe-photos", renditionKey, "image/jpeg",
                    rendition.width(), rendition.width() * 3 / 4, jpeg.length));
            bytes.put(name, jpeg);
        }
        put(layout().statusKey(key), PhotoStatus.ready("photopipe-photos", key, eTag(key), settings.presetsHash(),
                outputs).toJson());
        return bytes;
    }

    private static byte[] scaled(byte[] photo, int width) {
        try {
            BufferedImage source = ImageIO.read(new ByteArrayInputStream(photo));
            BufferedImage out = new BufferedImage(width, width * 3 / 4, BufferedImage.TYPE_INT_RGB);
            out.createGraphics().drawImage(source, 0, 0, width, width * 3 / 4, null);
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            ImageIO.write(out, "jpeg", buffer);
            return buffer.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private JsonNode status(String id) {
        HttpResponse response = bed.get("/images/" + id);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode body = TestBed.json(response);
        assertThat(body.get("id").asText()).isEqualTo(id);
        return body;
    }

    private static Duration untilExpiry(JsonNode created) {
        return Duration.between(java.time.Instant.now(), java.time.Instant.parse(created.get("expiresAt").asText()));
    }

    /** What the lifecycle rule does a day after the upload was handed out. */
    private void expireTicket(String id) {
        bed.s3.client().deleteObject(b -> b.bucket("photopipe-photos").key("renditions/_api/uploads/" + id + ".json"));
    }

    private OutputLayout layout() {
        return bed.config.layout();
    }

    private String eTag(String key) {
        return bed.s3.client().headObject(b -> b.bucket("photopipe-photos").key(key)).eTag().replace("\"", "");
    }

    private void put(String key, String json) {
        bed.s3.client().putObject(b -> b.bucket("photopipe-photos").key(key).contentType("application/json"),
                RequestBody.fromString(json));
    }
}
