package io.photopipe.producer;

import io.photopipe.core.PipelineSettings;
import java.net.URI;
import java.nio.file.Path;
import picocli.CommandLine.Option;
import software.amazon.awssdk.regions.Region;

/** Options every command has: settings, region, endpoints, output mode. */
public final class CommonOptions {
    @Option(names = "--settings", paramLabel = "FILE",
            description = "A photopipe.json with the pipeline's settings (bucket, prefixes, queue names); "
                    + "default: the built-in defaults.")
    Path settingsFile;

    @Option(names = "--region", description = "AWS region; default: the SDK's chain (AWS_REGION, profile), or "
            + "us-east-1 against a local endpoint.")
    String region;

    @Option(names = "--endpoint-s3", paramLabel = "URL",
            description = "S3 endpoint; default: AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL, else AWS.")
    URI s3Endpoint;

    @Option(names = "--endpoint-sqs", paramLabel = "URL",
            description = "SQS endpoint; default: AWS_ENDPOINT_URL_SQS / AWS_ENDPOINT_URL, else AWS.")
    URI sqsEndpoint;

    @Option(names = "--json", description = "Print the result as JSON on stdout (for scripts); no progress bar.")
    boolean json;

    @Option(names = "--no-progress", description = "No progress bar (it is drawn on stderr only at a terminal).")
    boolean noProgress;

    private PipelineSettings settings;

    /** The pipeline settings: the file given, else the defaults. */
    public PipelineSettings settings() {
        if (settings == null) {
            if (settingsFile != null && !java.nio.file.Files.isReadable(settingsFile)) {
                throw ProducerException.usage("--settings " + settingsFile + ": no such readable file");
            }
            settings = settingsFile == null ? PipelineSettings.defaults() : PipelineSettings.load(settingsFile);
        }
        return settings;
    }

    /** Whether to draw a progress bar (the bar itself also checks for a terminal). */
    public boolean progress() {
        return !json && !noProgress;
    }

    /** The AWS clients for a command that keeps up to {@code connections} calls in flight. */
    AwsClients clients(ProducerCli cli, int connections) {
        return cli.clientFactory().create(new AwsClients.Options(region == null ? null : Region.of(region),
                s3Endpoint, sqsEndpoint, Math.max(connections, 8), null, cli.env()));
    }
}
