package io.photopipe.infra;

import static io.photopipe.infra.Cfn.props;
import static org.assertj.core.api.Assertions.assertThat;

import io.photopipe.core.PipelineSettings;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awscdk.assertions.Template;

/**
 * {@code ./photopipe infra synth -c allowAnonymousUploads=true}, the one way to open the API, through the app's own
 * entry (context as the command line passes it, a string): every route without authorization, said loudly on stderr,
 * and the page it serves allowed to upload to the bucket from its origin.
 */
class AnonymousStackTest {
    @TempDir
    static Path dir;
    static Cfn cfn;
    static String stderr;

    @BeforeAll
    static void synthesize() throws IOException {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream original = System.err;
        Path out;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            out = PhotopipeApp.synth(dir, TestStacks.jars(), Map.of("allowAnonymousUploads", "true",
                    "stackName", "PhotopipeOpen"), dir.resolve("cdk.out"));
        } finally {
            System.setErr(original);
        }
        stderr = err.toString(StandardCharsets.UTF_8);
        cfn = new Cfn(Template.fromString(Files.readString(out.resolve("PhotopipeOpen.template.json"))));
    }

    @Test
    void everyRouteIsOpenAndTheFunctionKnowsIt() {
        assertThat(cfn.ofType("AWS::ApiGatewayV2::Route").values()).hasSize(3)
                .allSatisfy(r -> assertThat(props(r)).containsEntry("AuthorizationType", "NONE"));
        assertThat(props(PhotopipeStackTest.function(cfn, FunctionJars.API_HANDLER)).get("Environment").toString())
                .contains("PHOTOPIPE_API_AUTH=none");
    }

    @Test
    void synthesisSaysSoLoudly() {
        assertThat(stderr).contains("!!!!!!!!!!", "allowAnonymousUploads=true: the upload API has NO authorization",
                "Anyone who finds its URL can upload photos");
        // And the CDK CLI shows it as a warning of the stack too
        assertThat(stderr).contains("WARNING /PhotopipeOpen/Api: allowAnonymousUploads=true");
    }

    @Test
    void onlyTheApisOwnPageMayUploadFromABrowser() {
        Map<String, Object> bucket = props(cfn.resources().get(cfn.idOf("AWS::S3::Bucket", "BucketName",
                PipelineSettings.defaults().bucket())));
        String httpApi = cfn.only("AWS::ApiGatewayV2::Api").getKey();
        assertThat(bucket.get("CorsConfiguration")).isEqualTo(Map.of("CorsRules", List.of(Map.of(
                // https://<api id>.execute-api.<region>.amazonaws.com: the page's origin, exactly
                "AllowedOrigins", List.of(Map.of("Fn::GetAtt", List.of(httpApi, "ApiEndpoint"))),
                "AllowedMethods", List.of("PUT", "POST", "GET", "HEAD"), "AllowedHeaders", List.of("*"),
                "ExposedHeaders", List.of("ETag"), "MaxAge", 3000))));
        assertThat(props(cfn.only("AWS::ApiGatewayV2::Api").getValue())).doesNotContainKey("CorsConfiguration");
    }
}
