package io.photopipe.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Where a deployed photopipe stack lives, read from the outputs file the AWS CDK CLI writes with
 * {@code npx aws-cdk@2 deploy --outputs-file FILE}: a JSON object keyed by stack name whose values map the output
 * names below to their values, e.g. {@code {"Photopipe": {"BucketName": "...", "QueueUrl": "...", ...}}}.
 *
 * <p>The infra module declares its {@code CfnOutput}s with these names, and the load tests and the producer read
 * them here, so the names have one definition and the tools need no CDK dependency.
 *
 * @param stackName          the CloudFormation stack name (the key of the outputs file)
 * @param region             the stack's region
 * @param bucket             the input bucket
 * @param outputBucket       the bucket renditions are written to (the input bucket unless a separate one is set)
 * @param queueUrl           the upload queue fed by S3 notifications
 * @param dlqUrl             its dead-letter queue
 * @param resultsQueueUrl    the queue the worker publishes per-photo results to
 * @param apiUrl             the HTTP API's base URL, ending with '/'
 * @param workerFunctionName the worker function's name
 * @param apiFunctionName    the API function's name
 * @param dashboardName      the CloudWatch dashboard's name
 */
public record DeployedStack(String stackName, String region, String bucket, String outputBucket, String queueUrl,
                            String dlqUrl, String resultsQueueUrl, String apiUrl, String workerFunctionName,
                            String apiFunctionName, String dashboardName) {

    public static final String REGION = "Region";
    public static final String BUCKET = "BucketName";
    public static final String OUTPUT_BUCKET = "OutputBucketName";
    public static final String QUEUE_URL = "QueueUrl";
    public static final String DLQ_URL = "DlqUrl";
    public static final String RESULTS_QUEUE_URL = "ResultsQueueUrl";
    public static final String API_URL = "ApiUrl";
    public static final String WORKER_FUNCTION = "WorkerFunctionName";
    public static final String API_FUNCTION = "ApiFunctionName";
    public static final String DASHBOARD = "DashboardName";

    /** Every output name a photopipe stack declares. */
    public static final List<String> OUTPUT_NAMES = List.of(REGION, BUCKET, OUTPUT_BUCKET, QUEUE_URL, DLQ_URL,
            RESULTS_QUEUE_URL, API_URL, WORKER_FUNCTION, API_FUNCTION, DASHBOARD);

    /**
     * Reads a CDK outputs file. With {@code stackName} null the file must hold exactly one stack.
     *
     * @throws SettingsException naming the file, the stack and the missing output when the file does not fit
     */
    public static DeployedStack read(Path outputsFile, String stackName) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(Files.readString(outputsFile));
        } catch (IOException e) {
            throw new SettingsException(outputsFile.toString(), "cannot read the CDK outputs file ("
                    + e.getMessage() + "); write it with: npx aws-cdk@2 deploy --outputs-file " + outputsFile, e);
        }
        if (root == null || !root.isObject() || root.isEmpty()) {
            throw new SettingsException(outputsFile.toString(),
                    "is not a CDK outputs file (expected {\"<stack>\": {\"BucketName\": ...}})");
        }
        String name = stackName;
        if (name == null) {
            List<String> names = new ArrayList<>();
            root.fieldNames().forEachRemaining(names::add);
            if (names.size() != 1) {
                throw new SettingsException(outputsFile.toString(),
                        "holds the stacks " + names + "; say which one to use");
            }
            name = names.getFirst();
        }
        JsonNode outputs = root.get(name);
        if (outputs == null || !outputs.isObject()) {
            List<String> names = new ArrayList<>();
            for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
                names.add(it.next());
            }
            throw new SettingsException(outputsFile.toString(), "has no stack '" + name + "' (it has " + names + ")");
        }
        String file = outputsFile.toString();
        return new DeployedStack(name, text(outputs, REGION, file), text(outputs, BUCKET, file),
                text(outputs, OUTPUT_BUCKET, file), text(outputs, QUEUE_URL, file), text(outputs, DLQ_URL, file),
                text(outputs, RESULTS_QUEUE_URL, file), text(outputs, API_URL, file),
                text(outputs, WORKER_FUNCTION, file), text(outputs, API_FUNCTION, file),
                text(outputs, DASHBOARD, file));
    }

    private static String text(JsonNode outputs, String key, String file) {
        JsonNode v = outputs.get(key);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            throw new SettingsException(file, "output '" + key + "' is missing; was the file written by a "
                    + "photopipe stack (npx aws-cdk@2 deploy --outputs-file)?");
        }
        return v.asText();
    }
}
