package io.photopipe.local.stack;

import static org.awaitility.Awaitility.await;

import io.photopipe.core.PhotoStatus;
import io.photopipe.core.PipelineSettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/** What the stack tests share: small settings for 2 shared cores, the test photos, waiting for a status. */
final class TestStacks {
    /** Two environments of 512 MB at most; visibility timeout 6 x 30 s (AWS's rule). */
    static final PipelineSettings SETTINGS = PipelineSettings.fromJson("""
            {"worker": {"memoryMb": 512, "timeoutSeconds": 30, "batchSize": 5, "batchingWindowSeconds": 0,
                        "maxConcurrency": 2},
             "queue": {"visibilityTimeoutSeconds": 180, "maxReceiveCount": 3}}""");

    private TestStacks() {
    }

    static Path projectRoot() {
        return LocalOptions.findProjectRoot(Path.of(""));
    }

    static byte[] photo(String name) {
        try (InputStream in = TestStacks.class.getResourceAsStream("/photos/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test photo " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path photoFile(String name) {
        try {
            return Path.of(TestStacks.class.getResource("/photos/" + name).toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Waits for the photo's status document (READY or FAILED) and returns it. */
    static PhotoStatus awaitStatus(S3Client s3, PipelineSettings settings, String key, Duration atMost) {
        String statusKey = settings.layout().statusKey(key);
        AtomicReference<PhotoStatus> status = new AtomicReference<>();
        await().atMost(atMost).pollInterval(Duration.ofMillis(250)).ignoreException(NoSuchKeyException.class)
                .until(() -> {
                    status.set(PhotoStatus.fromJson(s3.getObjectAsBytes(b -> b.bucket(settings.effectiveOutputBucket())
                            .key(statusKey)).asUtf8String()));
                    return true;
                });
        return status.get();
    }
}
