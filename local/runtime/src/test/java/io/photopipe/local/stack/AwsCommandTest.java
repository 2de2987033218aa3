package io.photopipe.local.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./photopipe aws} adds the right endpoint per service, as LocalStack's awslocal does. */
class AwsCommandTest {
    private static final Map<String, String> LOCAL = Map.of("AWS_ENDPOINT_URL_S3", "http://127.0.0.1:19000",
            "AWS_ENDPOINT_URL_SQS", "http://127.0.0.1:19324");

    @Test
    void s3AndS3apiGoToTheS3EndpointAndSqsToTheSqsEndpoint() {
        assertThat(AwsCommand.commandLine("aws", List.of("s3", "ls"), LOCAL))
                .containsExactly("aws", "--endpoint-url", "http://127.0.0.1:19000", "s3", "ls");
        assertThat(AwsCommand.commandLine("aws", List.of("s3api", "list-buckets"), LOCAL))
                .containsSequence("--endpoint-url", "http://127.0.0.1:19000");
        assertThat(AwsCommand.commandLine("aws", List.of("sqs", "list-queues"), LOCAL))
                .containsSequence("--endpoint-url", "http://127.0.0.1:19324");
    }

    @Test
    void theServiceIsFoundAfterGlobalOptionsAndTheirValues() {
        assertThat(AwsCommand.serviceOf(List.of("--region", "eu-west-1", "--output", "json", "sqs", "list-queues")))
                .isEqualTo("sqs");
        assertThat(AwsCommand.serviceOf(List.of("--debug", "s3", "ls"))).isEqualTo("s3");
        assertThat(AwsCommand.serviceOf(List.of("--version"))).isNull();
    }

    @Test
    void defaultPortsWithoutAnEnvFileAndNoEndpointForOtherServicesOrWhenGiven() {
        assertThat(AwsCommand.commandLine("aws", List.of("s3", "ls"), Map.of()))
                .containsSequence("--endpoint-url", "http://127.0.0.1:9000");
        assertThat(AwsCommand.commandLine("aws", List.of("sts", "get-caller-identity"), LOCAL))
                .doesNotContain("--endpoint-url");
        assertThat(AwsCommand.commandLine("aws", List.of("s3", "ls", "--endpoint-url", "http://elsewhere"), LOCAL))
                .containsExactly("aws", "s3", "ls", "--endpoint-url", "http://elsewhere");
    }

    @Test
    void theCliGetsLocalCredentialsAndNoProfile() {
        Map<String, String> env = AwsCommand.environment(Map.of("AWS_PROFILE", "prod", "AWS_SESSION_TOKEN", "t",
                "HOME", "/root"));
        assertThat(env).doesNotContainKeys("AWS_PROFILE", "AWS_SESSION_TOKEN")
                .containsEntry("AWS_ACCESS_KEY_ID", "photopipe").containsEntry("AWS_DEFAULT_REGION", "us-east-1")
                .containsEntry("AWS_EC2_METADATA_DISABLED", "true").containsEntry("AWS_PAGER", "")
                .containsEntry("HOME", "/root");
    }

    @Test
    void theEnvFileRoundTripsEvenWithQuotes(@TempDir Path dir) {
        Map<String, String> vars = new java.util.LinkedHashMap<>();
        vars.put("AWS_ENDPOINT_URL_S3", "http://127.0.0.1:9000");
        vars.put("ODD", "it's");
        Path file = dir.resolve("local.env");
        LocalEnvFile.write(file, vars);
        assertThat(AwsCommand.readEnvFile(file)).isEqualTo(vars);
        assertThat(AwsCommand.readEnvFile(dir.resolve("missing.env"))).isEmpty();
    }
}
