package io.photopipe.producer;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The AWS clients of one command, created lazily and closed together. They use the SDK's standard chains
 * (credentials, region, and the {@code AWS_ENDPOINT_URL_S3} / {@code AWS_ENDPOINT_URL_SQS} / {@code AWS_ENDPOINT_URL}
 * variables, which the SDK honours by itself), so the same command works against AWS and the local stack.
 * When an S3 endpoint is overridden, path-style addressing is switched on: local servers on {@code localhost} have no
 * per-bucket DNS names.
 */
public final class AwsClients implements AutoCloseable {
    private final Options options;
    private final Region region;
    private S3Client s3;
    private S3AsyncClient s3Async;
    private SqsClient sqs;

    /**
     * How to build the clients.
     *
     * @param region         null for the SDK's region chain
     * @param s3Endpoint     null for the SDK's default (which honours {@code AWS_ENDPOINT_URL_S3})
     * @param sqsEndpoint    null for the SDK's default (which honours {@code AWS_ENDPOINT_URL_SQS})
     * @param maxConnections HTTP connections per client: at least the number of calls a command keeps in flight
     * @param credentials    null for the SDK's default credentials chain
     * @param env            the environment, to see whether an endpoint is overridden
     */
    public record Options(Region region, URI s3Endpoint, URI sqsEndpoint, int maxConnections,
                          AwsCredentialsProvider credentials, Function<String, String> env) {
        public Options {
            env = env == null ? System::getenv : env;
            if (maxConnections < 1) {
                throw new IllegalArgumentException("maxConnections " + maxConnections + " must be positive");
            }
        }

        /** Whether S3 talks to an endpoint other than AWS's (explicit or from the standard variables). */
        boolean s3Overridden() {
            return s3Endpoint != null || present(env.apply("AWS_ENDPOINT_URL_S3"))
                    || present(env.apply("AWS_ENDPOINT_URL")) || present(System.getProperty("aws.endpointUrlS3"))
                    || present(System.getProperty("aws.endpointUrl"));
        }

        boolean anyOverridden() {
            return s3Overridden() || sqsEndpoint != null || present(env.apply("AWS_ENDPOINT_URL_SQS"));
        }

        private static boolean present(String s) {
            return s != null && !s.isBlank();
        }
    }

    private AwsClients(Options options) {
        this.options = options;
        this.region = resolveRegion(options);
    }

    /** Clients for the given options; nothing is created until first used. */
    public static AwsClients create(Options options) {
        return new AwsClients(Objects.requireNonNull(options, "options"));
    }

    private static Region resolveRegion(Options o) {
        if (o.region() != null) {
            return o.region();
        }
        try {
            return DefaultAwsRegionProviderChain.builder().build().getRegion();
        } catch (SdkClientException e) {
            if (o.anyOverridden()) {
                return Region.US_EAST_1; // local servers accept any region; spare users of the local stack a variable
            }
            throw ProducerException.usage("no AWS region configured: set AWS_REGION (or AWS_DEFAULT_REGION, a profile"
                    + " region) or pass --region");
        }
    }

    /** The region messages and clients use. */
    public Region region() {
        return region;
    }

    /** The synchronous S3 client. */
    public synchronized S3Client s3() {
        if (s3 == null) {
            var b = S3Client.builder().region(region)
                    .httpClientBuilder(Apache5HttpClient.builder().maxConnections(options.maxConnections())
                            .connectionTimeout(Duration.ofSeconds(10)))
                    .forcePathStyle(options.s3Overridden());
            if (options.s3Endpoint() != null) {
                b.endpointOverride(options.s3Endpoint());
            }
            if (options.credentials() != null) {
                b.credentialsProvider(options.credentials());
            }
            s3 = b.build();
        }
        return s3;
    }

    /**
     * The asynchronous S3 client with the SDK's multipart support, for uploads.
     *
     * @param multipartThreshold objects at least this large are uploaded in parts
     * @param partSize           the part size (at least 5 MiB on AWS)
     */
    public synchronized S3AsyncClient s3Async(long multipartThreshold, long partSize) {
        if (s3Async == null) {
            var b = S3AsyncClient.builder().region(region)
                    .httpClientBuilder(NettyNioAsyncHttpClient.builder().maxConcurrency(options.maxConnections()))
                    .forcePathStyle(options.s3Overridden())
                    .multipartEnabled(true)
                    .multipartConfiguration(m -> m.thresholdInBytes(multipartThreshold).minimumPartSizeInBytes(partSize));
            if (options.s3Endpoint() != null) {
                b.endpointOverride(options.s3Endpoint());
            }
            if (options.credentials() != null) {
                b.credentialsProvider(options.credentials());
            }
            s3Async = b.build();
        }
        return s3Async;
    }

    /** The synchronous SQS client. */
    public synchronized SqsClient sqs() {
        if (sqs == null) {
            var b = SqsClient.builder().region(region)
                    .httpClientBuilder(Apache5HttpClient.builder().maxConnections(options.maxConnections())
                            .connectionTimeout(Duration.ofSeconds(10)));
            if (options.sqsEndpoint() != null) {
                b.endpointOverride(options.sqsEndpoint());
            }
            if (options.credentials() != null) {
                b.credentialsProvider(options.credentials());
            }
            sqs = b.build();
        }
        return sqs;
    }

    @Override
    public synchronized void close() {
        if (s3 != null) {
            s3.close();
        }
        if (s3Async != null) {
            s3Async.close();
        }
        if (sqs != null) {
            sqs.close();
        }
    }
}
