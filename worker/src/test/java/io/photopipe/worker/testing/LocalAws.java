package io.photopipe.worker.testing;

import io.photopipe.local.servers.EmbeddedS3;
import io.photopipe.local.servers.EmbeddedSqs;

/**
 * One embedded S3 and one embedded SQS for all worker tests of this JVM (they start in about two seconds together,
 * so every test class shares them; each test uses its own bucket and queues).
 */
public final class LocalAws {
    private static EmbeddedS3 s3;
    private static EmbeddedSqs sqs;

    private LocalAws() {
    }

    public static synchronized EmbeddedS3 s3() {
        start();
        return s3;
    }

    public static synchronized EmbeddedSqs sqs() {
        start();
        return sqs;
    }

    private static void start() {
        if (s3 == null) {
            s3 = EmbeddedS3.start();
            sqs = EmbeddedSqs.start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                sqs.close();
                s3.close();
            }));
        }
    }
}
