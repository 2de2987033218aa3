package io.photopipe.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.photopipe.core.SettingsException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The app's own path: settings file, context, and an offline synthesis into a cloud assembly on disk. */
class PhotopipeAppTest {

    @Test
    void synthesizesOfflineIntoACloudAssemblyWithTheJarsAsAssets(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("photopipe.json"), "{\"bucket\": \"my-own-photos\"}");
        Path out = PhotopipeApp.synth(dir, TestStacks.jars(), Map.of("stackName", "PhotopipeOffline"),
                dir.resolve("cdk.out"));
        Path template = out.resolve("PhotopipeOffline.template.json");
        assertThat(template).isRegularFile();
        assertThat(Files.readString(template)).contains("\"BucketName\": \"my-own-photos\"")
                .contains("\"Runtime\": \"java25\"");
        assertThat(out.resolve("PhotopipeOffline.assets.json")).isRegularFile();
        assertThat(Files.readString(out.resolve("PhotopipeOffline.assets.json"))).contains(".jar");
    }

    @Test
    void contextArgumentsAreParsedAndBadOnesNamed() {
        assertThat(PhotopipeApp.parseContext(new String[] {"synth", "-c", "versioned=true", "--context", "a=b=c"}))
                .containsExactly(Map.entry("versioned", "true"), Map.entry("a", "b=c"));
        assertThatThrownBy(() -> PhotopipeApp.parseContext(new String[] {"-c", "novalue"}))
                .isInstanceOf(SettingsException.class).hasMessageContaining("name=value");
        assertThatThrownBy(() -> PhotopipeApp.parseContext(new String[] {"deploy"}))
                .isInstanceOf(SettingsException.class).hasMessageContaining("unknown argument");
    }

    @Test
    void aMissingSettingsFileNamedInContextIsReported(@TempDir Path dir) {
        assertThatThrownBy(() -> PhotopipeApp.settings(dir, "nope.json"))
                .isInstanceOf(SettingsException.class).hasMessageContaining("nope.json");
    }

    @Test
    void aMissingJarSaysWhichBuildMakesIt(@TempDir Path dir) {
        assertThatThrownBy(() -> FunctionJars.under(dir))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("worker/target/photopipe-worker-lambda.jar")
                .hasMessageContaining("./mvnw -B -q -pl worker -am package -DskipTests");
    }

    @Test
    void anX86WorkerGetsTheX86JarWithItsOwnNativeCodecs(@TempDir Path dir) throws IOException {
        Path target = Files.createDirectories(dir.resolve("worker/target"));
        FunctionJars arm = new FunctionJars(target.resolve("photopipe-worker-lambda.jar"), dir.resolve("api.jar"));
        assertThat(arm.forWorkerArchitecture("arm64")).isSameAs(arm);
        assertThatThrownBy(() -> arm.forWorkerArchitecture("x86_64"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("photopipe-worker-lambda-x86_64.jar");
        Files.writeString(target.resolve("photopipe-worker-lambda-x86_64.jar"), "");
        assertThat(arm.forWorkerArchitecture("x86_64").worker())
                .isEqualTo(target.resolve("photopipe-worker-lambda-x86_64.jar"));
    }

    @Test
    void findsTheProjectRootFromInsideIt() {
        Path root = PhotopipeApp.projectRoot(Path.of("").toAbsolutePath());
        assertThat(root.resolve("core/pom.xml")).isRegularFile();
        assertThat(PhotopipeApp.projectRoot(root.resolve("infra/src"))).isEqualTo(root);
    }
}
