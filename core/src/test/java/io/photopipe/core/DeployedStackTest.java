package io.photopipe.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeployedStackTest {

    private static final String OUTPUTS = """
            {"Photopipe": {"Region": "eu-west-1", "BucketName": "acme-photos", "OutputBucketName": "acme-photos",
              "QueueUrl": "https://sqs.eu-west-1.amazonaws.com/123456789012/photopipe-uploads",
              "DlqUrl": "https://sqs.eu-west-1.amazonaws.com/123456789012/photopipe-uploads-dlq",
              "ResultsQueueUrl": "https://sqs.eu-west-1.amazonaws.com/123456789012/photopipe-results",
              "ApiUrl": "https://abc.execute-api.eu-west-1.amazonaws.com/", "WorkerFunctionName": "Photopipe-Worker",
              "ApiFunctionName": "Photopipe-Api", "DashboardName": "Photopipe"}}
            """;

    @Test
    void readsTheOnlyStackOfACdkOutputsFile(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("outputs.json"), OUTPUTS);
        DeployedStack s = DeployedStack.read(file, null);
        assertThat(s.stackName()).isEqualTo("Photopipe");
        assertThat(s.bucket()).isEqualTo("acme-photos");
        assertThat(s.queueUrl()).endsWith("/photopipe-uploads");
        assertThat(s.apiUrl()).startsWith("https://abc.");
        assertThat(s.workerFunctionName()).isEqualTo("Photopipe-Worker");
    }

    @Test
    void aMissingOutputIsNamed(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("outputs.json"), OUTPUTS.replace("\"DlqUrl\"", "\"Other\""));
        assertThatThrownBy(() -> DeployedStack.read(file, "Photopipe"))
                .isInstanceOf(SettingsException.class).hasMessageContaining("'DlqUrl' is missing");
    }

    @Test
    void anUnknownStackNamesTheOnesThere(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("outputs.json"), OUTPUTS);
        assertThatThrownBy(() -> DeployedStack.read(file, "Other"))
                .isInstanceOf(SettingsException.class).hasMessageContaining("no stack 'Other'")
                .hasMessageContaining("[Photopipe]");
    }
}
