package io.photopipe.infra;

import io.photopipe.core.DeployedStack;
import io.photopipe.core.PipelineSettings;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.Tags;
import software.constructs.Construct;

/**
 * The whole pipeline as one stack: {@link Queues}, {@link Storage}, {@link WorkerFunction}, {@link UploadApi} and
 * {@link Monitoring}, with the outputs {@link DeployedStack} reads.
 */
public final class PhotopipeStack extends Stack {

    private final Queues queues;
    private final Storage storage;
    private final WorkerFunction worker;
    private final UploadApi api;
    private final Monitoring monitoring;

    public PhotopipeStack(Construct scope, PipelineSettings settings, DeployOptions options, FunctionJars jars,
                          StackProps props) {
        super(scope, options.stackName(), props);
        queues = new Queues(this, "Queues", settings);
        storage = new Storage(this, "Storage", settings, options, queues.uploads());
        worker = new WorkerFunction(this, "Worker", settings, options, queues, storage, jars.worker());
        api = new UploadApi(this, "Api", settings, options, storage, jars.api());
        monitoring = new Monitoring(this, "Monitoring", options, queues, worker);
        Tags.of(this).add("project", "photopipe");

        output(DeployedStack.REGION, Aws.REGION, "the stack's region");
        output(DeployedStack.BUCKET, storage.bucket().getBucketName(), "upload photos under the input prefix here");
        output(DeployedStack.OUTPUT_BUCKET, storage.outputBucket().getBucketName(), "renditions are written here");
        output(DeployedStack.QUEUE_URL, queues.uploads().getQueueUrl(), "the upload queue S3 notifies");
        output(DeployedStack.DLQ_URL, queues.dlq().getQueueUrl(), "photos that failed for good, with reasons");
        output(DeployedStack.RESULTS_QUEUE_URL, queues.results().getQueueUrl(), "per-photo READY/FAILED events");
        output(DeployedStack.API_URL, api.url(), "the upload API and page");
        output(DeployedStack.WORKER_FUNCTION, worker.function().getFunctionName(), "the worker function");
        output(DeployedStack.API_FUNCTION, api.function().getFunctionName(), "the API function");
        output(DeployedStack.DASHBOARD, monitoring.dashboard().getDashboardName(), "the CloudWatch dashboard");
    }

    private void output(String name, String value, String description) {
        CfnOutput.Builder.create(this, name).value(value).description(description).build();
    }

    public Queues queues() {
        return queues;
    }

    public Storage storage() {
        return storage;
    }

    public WorkerFunction worker() {
        return worker;
    }

    public UploadApi api() {
        return api;
    }

    public Monitoring monitoring() {
        return monitoring;
    }
}
