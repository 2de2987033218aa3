package io.photopipe.local.stack;

import io.photopipe.local.servers.LocalCredentials;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code local.env} file: the standard AWS variables that point SDKs (and AWS CLIs from 2.13 on) at the local
 * stack, plus photopipe's own, as {@code export NAME='value'} lines a shell can {@code source}.
 */
public final class LocalEnvFile {
    private LocalEnvFile() {
    }

    /** The variables, in file order. {@code api} may be null when the API is not running. */
    public static Map<String, String> variables(URI s3, URI sqs, URI api, String bucket, String queueUrl,
                                                String dlqUrl, String resultsQueueUrl) {
        Map<String, String> env = new LinkedHashMap<>();
        // Service-specific endpoints (SDKs: https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html).
        // The global one is a fallback for services without their own variable; only S3 and SQS are emulated.
        env.put("AWS_ENDPOINT_URL", s3.toString());
        env.put("AWS_ENDPOINT_URL_S3", s3.toString());
        env.put("AWS_ENDPOINT_URL_SQS", sqs.toString());
        env.put("AWS_REGION", LocalCredentials.REGION);
        env.put("AWS_DEFAULT_REGION", LocalCredentials.REGION);
        env.put("AWS_ACCESS_KEY_ID", LocalCredentials.ACCESS_KEY_ID);
        env.put("AWS_SECRET_ACCESS_KEY", LocalCredentials.SECRET_ACCESS_KEY);
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        env.put("AWS_PAGER", "");
        if (api != null) {
            env.put("PHOTOPIPE_API_URL", api.toString());
        }
        env.put("PHOTOPIPE_BUCKET", bucket);
        env.put("PHOTOPIPE_QUEUE_URL", queueUrl);
        env.put("PHOTOPIPE_DLQ_URL", dlqUrl);
        env.put("PHOTOPIPE_RESULTS_QUEUE_URL", resultsQueueUrl);
        return env;
    }

    /** Writes the file (atomically, so a shell never sources half of it). */
    public static void write(Path file, Map<String, String> variables) {
        StringBuilder out = new StringBuilder("""
                # photopipe local stack: written by ./photopipe local at start; load it with
                #   source .photopipe/local.env
                # then any AWS SDK (and the AWS CLI from 2.13 on) talks to the local stack. Older CLIs ignore the
                # endpoint variables: use ./photopipe aws ... instead.
                """);
        variables.forEach((k, v) -> out.append("export ").append(k).append("='")
                .append(v.replace("'", "'\\''")).append("'\n"));
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, out);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
