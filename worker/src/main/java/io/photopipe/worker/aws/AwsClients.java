package io.photopipe.worker.aws;

import io.photopipe.worker.WorkerConfig;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The SDK clients, built once per execution environment (in the handler's constructor, so SnapStart's snapshot and
 * warm starts reuse them).
 *
 * <p>HTTP client: Apache 5, pooled, chosen on purpose. Photos are processed in parallel, so each invocation has
 * several S3 requests in flight; Apache keeps a pool of {@code maxConnections} keep-alive connections, where the
 * URL-connection client relies on {@code HttpURLConnection}'s keep-alive cache of 5 idle connections per host and
 * pays a new TLS handshake for the rest. Its cold-start cost (about 100 ms of class loading) is paid once, and not at
 * all with SnapStart. Netty is only used by the CloudWatch metrics registry, off the request path.
 *
 * <p>Endpoints: when {@code AWS_ENDPOINT_URL_S3} / {@code AWS_ENDPOINT_URL_SQS} (or {@code AWS_ENDPOINT_URL}) is set
 * (a local S3 or SQS), it is used, and S3 uses path-style addressing ({@code http://127.0.0.1:PORT/bucket/key}),
 * since virtual-host style needs DNS for {@code bucket.localhost}.
 */
public final class AwsClients implements AutoCloseable {
    private final S3Client s3;
    private final SqsClient sqs;

    public AwsClients(S3Client s3, SqsClient sqs) {
        this.s3 = s3;
        this.sqs = sqs;
    }

    /** Clients for a configuration, with {@code credentials} (the default chain in Lambda). */
    public static AwsClients create(WorkerConfig config, AwsCredentialsProvider credentials) {
        WorkerConfig.Aws aws = config.aws();
        int connections = Math.max(16, config.processing().concurrency() * 4);
        var s3 = S3Client.builder()
                .region(Region.of(aws.region()))
                .credentialsProvider(credentials)
                .httpClient(http(connections, config.resilience().s3AttemptTimeout()))
                // resilience4j retries (CallGuard); one level of retries only.
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())
                        .apiCallAttemptTimeout(config.resilience().s3AttemptTimeout()));
        aws.s3Endpoint().ifPresent(uri -> s3.endpointOverride(uri).forcePathStyle(true));
        var sqs = SqsClient.builder()
                .region(Region.of(aws.region()))
                .credentialsProvider(credentials)
                .httpClient(http(8, Duration.ofSeconds(10)))
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())
                        .apiCallAttemptTimeout(Duration.ofSeconds(10)));
        aws.sqsEndpoint().ifPresent(sqs::endpointOverride);
        return new AwsClients(s3.build(), sqs.build());
    }

    private static SdkHttpClient http(int maxConnections, Duration socketTimeout) {
        return Apache5HttpClient.builder()
                .maxConnections(maxConnections)
                .connectionTimeout(Duration.ofSeconds(2))
                .socketTimeout(socketTimeout)
                // Connections idle across a Lambda freeze (or a SnapStart restore) may be dead: drop them early.
                .connectionMaxIdleTime(Duration.ofSeconds(20))
                .build();
    }

    public S3Client s3() {
        return s3;
    }

    public SqsClient sqs() {
        return sqs;
    }

    @Override
    public void close() {
        s3.close();
        sqs.close();
    }
}
