package io.photopipe.loadtest;

import io.photopipe.core.PipelineSettings;
import java.net.URI;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.sqs.SqsClient;

/** What a load test runs against: the local stack it started, or a deployed stack. */
public interface Target extends AutoCloseable {
    /** One line for the report. */
    String description();

    /** Whether this is the local stack (its Lambda metrics are measured here). */
    boolean local();

    /** The pipeline's settings (a deployed stack: the settings it was deployed from, as given). */
    PipelineSettings settings();

    /** The upload API's base URL, without a trailing slash. */
    URI apiBase();

    Region region();

    S3Client s3();

    S3Presigner presigner();

    SqsClient sqs();

    String bucket();

    String outputBucket();

    String queueUrl();

    String dlqUrl();

    /**
     * Whether uploads can be left queued until {@link #startConsuming()} (the local stack's worker starts on demand);
     * a deployed stack always consumes.
     */
    boolean canHoldBacklog();

    /** Whether the worker consumes the queue now. */
    boolean consuming();

    /** Starts the worker's event source mapping, if it is not running. */
    void startConsuming();

    /** The metrics now, {@code atMillis} after the run started. */
    Sample sample(long atMillis);

    /** Seconds of invocation time summed over environments so far (-1 if unknown). */
    double busySeconds();

    @Override
    void close();
}
