package io.photopipe.local.stack;

import static io.photopipe.local.stack.TestStacks.awaitStatus;
import static io.photopipe.local.stack.TestStacks.photo;
import static org.assertj.core.api.Assertions.assertThat;

import io.photopipe.core.PhotoStatus;
import io.photopipe.core.PipelineSettings;
import io.photopipe.core.Rendition;
import io.photopipe.local.lambda.LambdaOptions;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Duration;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * A WebP preset end to end: the worker's deployment jar (which carries Lambda's arm64 native codecs only) runs in
 * a child JVM with the host's library beside it on the classpath, writes lossy and lossless WebP renditions with
 * libwebp, and a client reads them back as {@code image/webp} with ImageIO (TwelveMonkeys). Without the native
 * codecs in the child the worker would refuse these settings at start-up and no rendition would appear.
 */
class WebpRenditionEndToEndTest {

    static final PipelineSettings WEBP = PipelineSettings.fromJson("""
            {"worker": {"memoryMb": 512, "timeoutSeconds": 30, "batchSize": 5, "batchingWindowSeconds": 0,
                        "maxConcurrency": 2},
             "queue": {"visibilityTimeoutSeconds": 180, "maxReceiveCount": 3},
             "renditions": [
               {"name": "web", "width": 640, "height": 640, "fit": "fit", "format": "webp", "quality": 0.8},
               {"name": "exact", "width": 160, "height": 160, "fit": "cover", "format": "webp", "quality": 1.0},
               {"name": "thumb", "width": 128, "height": 128, "fit": "cover", "format": "jpeg", "quality": 0.8}]}""");

    @Test
    void webpRenditionsAreWrittenByTheWorkerAndReadBackAsImageWebp(@TempDir Path dataDir) {
        try (LocalStack stack = LocalStack.start(WEBP, LocalOptions.ephemeral(TestStacks.projectRoot(), dataDir)
                .withFunctionMode(LambdaOptions.Mode.CHILD_JVM))) {
            S3Client s3 = stack.s3().client();
            String key = WEBP.inputPrefix() + "webp/landscape.jpg";
            s3.putObject(b -> b.bucket(WEBP.bucket()).key(key).contentType("image/jpeg"),
                    RequestBody.fromBytes(photo("landscape.jpg")));
            PhotoStatus status = awaitStatus(s3, WEBP, key, Duration.ofSeconds(120));
            assertThat(status.state()).as(status.toString()).isEqualTo(PhotoStatus.State.READY);
            for (Rendition r : WEBP.renditions()) {
                ResponseBytes<GetObjectResponse> object = s3.getObjectAsBytes(b -> b
                        .bucket(WEBP.effectiveOutputBucket()).key(WEBP.layout().renditionKey(key, r)));
                assertThat(object.response().contentType()).as(r.name()).isEqualTo(r.format().contentType());
                BufferedImage image = read(object.asByteArray());
                if (r.fit() == io.photopipe.core.Fit.COVER) {
                    assertThat(image.getWidth()).as(r.name()).isEqualTo(r.width());
                    assertThat(image.getHeight()).as(r.name()).isEqualTo(r.height());
                } else { // fit never enlarges: the 600 px photo stays 600 px
                    assertThat(Math.max(image.getWidth(), image.getHeight())).as(r.name()).isEqualTo(600);
                }
            }
            assertThat(WEBP.layout().renditionKey(key, WEBP.renditions().getFirst())).endsWith(".webp");
        }
    }

    private static BufferedImage read(byte[] bytes) {
        try {
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
            assertThat(image).as("ImageIO (TwelveMonkeys) reads it").isNotNull();
            return image;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
