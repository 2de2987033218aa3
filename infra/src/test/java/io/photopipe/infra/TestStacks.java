package io.photopipe.infra;

import io.photopipe.core.PipelineSettings;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.jar.JarOutputStream;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.assertions.Template;

/** Synthesizes stacks for tests, offline, into target/ (never the user's infra/cdk.out). */
final class TestStacks {

    private TestStacks() {
    }

    /** The project root (infra's parent directory; surefire runs in infra/). */
    static Path projectRoot() {
        return PhotopipeApp.projectRoot(Path.of("").toAbsolutePath());
    }

    /**
     * The real function jars when the reactor built them (./photopipe test builds worker and api before infra),
     * otherwise clearly named placeholder jars under target/: the template's assertions do not depend on the
     * jars' content, only on their presence.
     */
    static FunctionJars jars() {
        Path root = projectRoot();
        Path worker = root.resolve(FunctionJars.WORKER_JAR);
        Path api = root.resolve(FunctionJars.API_JAR);
        return new FunctionJars(Files.isRegularFile(worker) ? worker : placeholder("worker"),
                Files.isRegularFile(api) ? api : placeholder("api"));
    }

    static Path placeholder(String module) {
        Path jar = Path.of("target", "PLACEHOLDER-photopipe-" + module + "-lambda.jar").toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            System.out.println("[infra tests] " + module + " jar not built (" + module + "/target/photopipe-" + module
                    + "-lambda.jar); synthesizing with the empty placeholder " + jar);
            try {
                Files.createDirectories(jar.getParent());
                try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out)) {
                    j.finish();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return jar;
    }

    static PhotopipeStack stack(PipelineSettings settings, DeployOptions options) {
        Path out;
        try {
            Files.createDirectories(Path.of("target"));
            out = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "cdk.out-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        App app = new App(AppProps.builder().outdir(out.toString()).context(Map.of()).build());
        return new PhotopipeStack(app, settings, options, jars(), StackProps.builder().build());
    }

    static Template template(PipelineSettings settings, DeployOptions options) {
        return Template.fromStack(stack(settings, options));
    }
}
