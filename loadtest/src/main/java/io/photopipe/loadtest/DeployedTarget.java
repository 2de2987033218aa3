package io.photopipe.loadtest;

import io.photopipe.core.DeployedStack;
import io.photopipe.core.PipelineSettings;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * A stack deployed with the CDK app, found through its outputs file ({@code npx aws-cdk@2 deploy --outputs-file
 * FILE}); the AWS SDK's default credentials. Queue figures come from SQS; the worker's Lambda figures (concurrency,
 * durations, cold starts) are CloudWatch's and are shown as unknown here: read them on the stack's dashboard.
 */
public final class DeployedTarget implements Target {
    private final DeployedStack stack;
    private final PipelineSettings settings;
    private final Region region;
    private final S3Client s3;
    private final S3Presigner presigner;
    private final SqsClient sqs;

    private DeployedTarget(DeployedStack stack, PipelineSettings settings) {
        this.stack = stack;
        this.settings = settings;
        this.region = Region.of(stack.region());
        this.s3 = S3Client.builder().region(region).build();
        this.presigner = S3Presigner.builder().region(region).build();
        this.sqs = SqsClient.builder().region(region).build();
    }

    /** Reads the outputs file; {@code settings} are those the stack was deployed from. */
    public static DeployedTarget open(Path outputsFile, PipelineSettings settings) {
        return new DeployedTarget(DeployedStack.read(outputsFile, null), settings);
    }

    @Override
    public String description() {
        return "deployed stack " + stack.stackName() + " in " + stack.region() + " (API " + stack.apiUrl() + ")";
    }

    @Override
    public boolean local() {
        return false;
    }

    @Override
    public PipelineSettings settings() {
        return settings;
    }

    @Override
    public URI apiBase() {
        String s = stack.apiUrl();
        return URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
    }

    @Override
    public Region region() {
        return region;
    }

    @Override
    public S3Client s3() {
        return s3;
    }

    @Override
    public S3Presigner presigner() {
        return presigner;
    }

    @Override
    public SqsClient sqs() {
        return sqs;
    }

    @Override
    public String bucket() {
        return stack.bucket();
    }

    @Override
    public String outputBucket() {
        return stack.outputBucket();
    }

    @Override
    public String queueUrl() {
        return stack.queueUrl();
    }

    @Override
    public String dlqUrl() {
        return stack.dlqUrl();
    }

    @Override
    public boolean canHoldBacklog() {
        return false;
    }

    @Override
    public boolean consuming() {
        return true;
    }

    @Override
    public void startConsuming() {
        // the deployed event source mapping always runs
    }

    @Override
    public Sample sample(long atMillis) {
        Map<QueueAttributeName, String> q = sqs.getQueueAttributes(b -> b.queueUrl(stack.queueUrl())
                .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
        String dlq = sqs.getQueueAttributes(b -> b.queueUrl(stack.dlqUrl())
                .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)).attributes()
                .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES);
        return new Sample(atMillis, parse(q.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)),
                parse(q.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)), parse(dlq), -1, -1, -1,
                -1, -1, -1, -1, -1, -1, -1, -1);
    }

    private static long parse(String n) {
        return n == null ? -1 : Long.parseLong(n);
    }

    @Override
    public double busySeconds() {
        return -1;
    }

    @Override
    public void close() {
        s3.close();
        presigner.close();
        sqs.close();
    }
}
