package io.photopipe.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.photopipe.core.DeployedStack;
import io.photopipe.core.MessageAttributes;
import io.photopipe.core.PipelineSettings;
import io.photopipe.core.Rendition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testcontainers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.CliCredentialsStackSynthesizer;
import software.amazon.awscdk.StackProps;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.Capability;
import software.amazon.awssdk.services.cloudformation.model.Output;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The deployment itself, end to end, against LocalStack: synthesize the stack, publish its jar assets, create it with
 * CloudFormation, then drive the pipeline (a photo PUT gets its renditions, a non-photo ends in the DLQ with its
 * reason, a delete removes the renditions).
 *
 * <p>Needs Docker and LocalStack Pro (Lambda with the java25 runtime, CloudFormation, API Gateway v2): it runs only
 * when Docker is available and {@code LOCALSTACK_AUTH_TOKEN} is set, and otherwise reports itself skipped with the
 * reason. Never a fake pass: with both present, a missing function jar fails it. Image: {@code localstack/localstack-pro:latest}
 * unless {@code -Dphotopipe.localstack.image=...}.
 */
@ExtendWith(LocalStackAvailable.class)
class LocalStackDeployIT {

    static final String ASSETS_BUCKET = "photopipe-it-assets";
    static final PipelineSettings SETTINGS = PipelineSettings.defaults();

    static LocalStackContainer localstack;
    static S3Client s3;
    static SqsClient sqs;
    static DeployedStack stack;

    @BeforeAll
    @SuppressWarnings("deprecation") // withFileSystemBind: the Docker socket is a bind, not a file to copy
    static void deploy() throws IOException {
        String token = System.getenv("LOCALSTACK_AUTH_TOKEN");
        FunctionJars jars = FunctionJars.under(TestStacks.projectRoot()); // fails (not skips) if unbuilt

        DockerImageName image = DockerImageName.parse(System.getProperty("photopipe.localstack.image",
                "localstack/localstack-pro:latest")).asCompatibleSubstituteFor("localstack/localstack");
        localstack = new LocalStackContainer(image)
                .withEnv("LOCALSTACK_AUTH_TOKEN", token)
                // LocalStack runs Lambda functions in sibling containers.
                .withFileSystemBind("/var/run/docker.sock", "/var/run/docker.sock");
        localstack.start();
        var credentials = StaticCredentialsProvider.create(
                AwsBasicCredentials.create(localstack.getAccessKey(), localstack.getSecretKey()));
        Region region = Region.of(localstack.getRegion());
        s3 = S3Client.builder().endpointOverride(localstack.getEndpoint()).credentialsProvider(credentials)
                .region(region).forcePathStyle(true).httpClient(UrlConnectionHttpClient.create()).build();
        sqs = SqsClient.builder().endpointOverride(localstack.getEndpoint()).credentialsProvider(credentials)
                .region(region).httpClient(UrlConnectionHttpClient.create()).build();

        Path out = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "cdk.out-it-");
        App app = new App(AppProps.builder().outdir(out.toString()).build());
        DeployOptions options = DeployOptions.fromContext(Map.<String, Object>of("stackName", "PhotopipeIT")::get);
        // Assets go to a plain bucket and the template names it: no bootstrap stack, no publishing roles.
        new PhotopipeStack(app, SETTINGS, options, jars, StackProps.builder()
                .synthesizer(CliCredentialsStackSynthesizer.Builder.create()
                        .fileAssetsBucketName(ASSETS_BUCKET).bucketPrefix("").build())
                .build());
        Path assembly = Path.of(app.synth().getDirectory());

        s3.createBucket(b -> b.bucket(ASSETS_BUCKET));
        ObjectMapper json = new ObjectMapper();
        JsonNode assets = json.readTree(assembly.resolve("PhotopipeIT.assets.json").toFile());
        for (var file : assets.get("files").properties()) {
            JsonNode source = file.getValue().get("source");
            if (source.get("path").asText().endsWith(".json")) {
                continue; // the template itself, passed inline below
            }
            assertThat(source.get("packaging").asText()).as("asset packaging of " + file.getKey()).isEqualTo("file");
            for (JsonNode destination : file.getValue().get("destinations")) {
                s3.putObject(p -> p.bucket(ASSETS_BUCKET).key(destination.get("objectKey").asText()),
                        RequestBody.fromFile(assembly.resolve(source.get("path").asText())));
            }
        }
        ObjectNode template = (ObjectNode) json.readTree(assembly.resolve("PhotopipeIT.template.json").toFile());
        try (CloudFormationClient cfn = CloudFormationClient.builder().endpointOverride(localstack.getEndpoint())
                .credentialsProvider(credentials).region(region).httpClient(UrlConnectionHttpClient.create())
                .build()) {
            cfn.createStack(c -> c.stackName("PhotopipeIT").templateBody(template.toString())
                    .capabilities(Capability.CAPABILITY_IAM, Capability.CAPABILITY_NAMED_IAM));
            cfn.waiter().waitUntilStackCreateComplete(r -> r.stackName("PhotopipeIT"),
                    w -> w.maxAttempts(120).backoffStrategyV2(
                            software.amazon.awssdk.retries.api.BackoffStrategy.fixedDelay(Duration.ofSeconds(5))));
            Map<String, String> outputs = new HashMap<>();
            for (Output o : cfn.describeStacks(d -> d.stackName("PhotopipeIT")).stacks().getFirst().outputs()) {
                outputs.put(o.outputKey(), o.outputValue());
            }
            Path outputsFile = out.resolve("outputs.json");
            Files.writeString(outputsFile, json.writeValueAsString(Map.of("PhotopipeIT", outputs)));
            stack = DeployedStack.read(outputsFile, "PhotopipeIT");
        }
    }

    @AfterAll
    static void stop() {
        if (localstack != null) {
            localstack.stop();
        }
    }

    @Test
    void aPhotoPutInTheBucketGetsEveryRendition() throws IOException {
        String key = SETTINGS.inputPrefix() + "it/photo one.jpg";
        put(key, "photo.jpg");
        Set<String> expected = SETTINGS.renditions().stream()
                .map(r -> SETTINGS.layout().renditionKey(key, r)).collect(Collectors.toSet());
        await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(2))
                .until(() -> renditionsOf(key).containsAll(expected));
        Rendition thumb = SETTINGS.renditions().stream().filter(r -> r.name().equals("thumb")).findFirst()
                .orElseThrow();
        assertThat(s3.headObject(h -> h.bucket(stack.outputBucket())
                .key(SETTINGS.layout().renditionKey(key, thumb))).contentType()).isEqualTo("image/jpeg");
    }

    @Test
    void aFileThatIsNotAPhotoEndsInTheDlqWithItsReason() throws IOException {
        String key = SETTINGS.inputPrefix() + "it/not-a-photo.jpg";
        put(key, "not-a-photo.jpg");
        Message dead = await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(2))
                .until(() -> sqs.receiveMessage(r -> r.queueUrl(stack.dlqUrl()).waitTimeSeconds(1)
                                .messageAttributeNames("All")).messages().stream()
                        .filter(m -> m.body().contains("not-a-photo.jpg")).findFirst().orElse(null),
                m -> m != null);
        assertThat(dead.messageAttributes()).containsKey(MessageAttributes.REASON);
        assertThat(renditionsOf(key)).isEmpty();
    }

    @Test
    void deletingAPhotoRemovesItsRenditions() throws IOException {
        String key = SETTINGS.inputPrefix() + "it/deleted.jpg";
        put(key, "photo.jpg");
        Set<String> made = SETTINGS.renditions().stream()
                .map(r -> SETTINGS.layout().renditionKey(key, r)).collect(Collectors.toSet());
        await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(2))
                .until(() -> renditionsOf(key).containsAll(made));
        s3.deleteObject(d -> d.bucket(stack.bucket()).key(key));
        await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(2))
                .until(() -> renditionsOf(key).stream().noneMatch(made::contains));
    }

    private static void put(String key, String resource) throws IOException {
        try (var in = LocalStackDeployIT.class.getResourceAsStream("/it/" + resource)) {
            byte[] bytes = in.readAllBytes();
            s3.putObject(p -> p.bucket(stack.bucket()).key(key).contentType("image/jpeg"), RequestBody.fromBytes(bytes));
        }
    }

    private static List<String> renditionsOf(String key) {
        String prefix = SETTINGS.layout().renditionPrefix(key);
        return s3.listObjectsV2Paginator(l -> l.bucket(stack.outputBucket()).prefix(prefix)).contents().stream()
                .map(S3Object::key).toList();
    }
}
