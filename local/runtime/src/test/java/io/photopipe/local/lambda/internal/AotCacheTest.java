package io.photopipe.local.lambda.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.photopipe.local.lambda.FunctionConfig;
import io.photopipe.local.lambda.InvokeResult;
import io.photopipe.local.lambda.LambdaOptions;
import io.photopipe.local.lambda.LocalLambda;
import io.photopipe.local.testfn.EchoHandler;
import java.io.File;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AotCacheTest {
    private static final Path JAVA_HOME = Path.of(System.getProperty("java.home"));
    private static final List<String> FLAGS = List.of("-XX:+UseSerialGC", "-Xshare:auto");

    @TempDir
    Path dir;

    @Test
    void firstEnvironmentTrainsTheCacheOthersWaitForItThenAllUseIt() throws Exception {
        Path jar = Files.write(dir.resolve("fn.jar"), new byte[] {1});
        AotCache.Plan train = AotCache.plan(jar, JAVA_HOME, FLAGS, List.of(jar));
        assertThat(train.flags()).singleElement().asString().startsWith("-XX:AOTCacheOutput=" + dir.resolve("fn.jar."));
        assertThat(AotCache.apply(train, FLAGS)).doesNotContain("-Xshare:auto").contains("-XX:+UseSerialGC");
        // a second environment while the first trains: neither flag (it would race on the file)
        assertThat(AotCache.plan(jar, JAVA_HOME, FLAGS, List.of(jar)).uses()).isFalse();

        Files.writeString(train.training(), "cache");
        Path stale = Files.writeString(dir.resolve("fn.jar.0123456789ab.aot"), "from an older build");
        AotCache.trained(train);

        assertThat(train.cache()).hasContent("cache");
        assertThat(stale).doesNotExist();
        assertThat(train.training()).doesNotExist();
        assertThat(AotCache.plan(jar, JAVA_HOME, FLAGS, List.of(jar)).flags())
                .containsExactly("-XX:AOTCache=" + train.cache());
    }

    @Test
    void aRebuiltJarOrOtherFlagsGetANewCache() throws Exception {
        Path jar = Files.write(dir.resolve("fn.jar"), new byte[] {1});
        String key = AotCache.key(JAVA_HOME, FLAGS, List.of(jar));
        assertThat(AotCache.key(JAVA_HOME, List.of("-XX:+UseG1GC"), List.of(jar))).isNotEqualTo(key);
        Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() + 1000));
        assertThat(AotCache.key(JAVA_HOME, FLAGS, List.of(jar))).isNotEqualTo(key);
    }

    @Test
    void aKilledTrainingLeavesNoCacheAndTheNextEnvironmentTrainsAgain() throws Exception {
        Path jar = Files.write(dir.resolve("fn.jar"), new byte[] {1});
        AotCache.Plan train = AotCache.plan(jar, JAVA_HOME, FLAGS, List.of(jar));
        AotCache.trained(train); // nothing written
        assertThat(train.cache()).doesNotExist();
        assertThat(AotCache.plan(jar, JAVA_HOME, FLAGS, List.of(jar)).training()).isNotNull();
    }

    @Test
    void classesDirectoriesCannotBeArchivedSoTheyRunWithout() {
        assertThat(AotCache.plan(dir, JAVA_HOME, FLAGS, List.of(dir)).uses()).isFalse();
        assertThat(AotCache.enabled(Map.of(AotCache.SWITCH, "off")::get)).isFalse();
        assertThat(AotCache.enabled(Map.<String, String>of()::get)).isTrue();
    }

    /** The real runtime client: the first environment writes the cache as it exits; the next starts from it. */
    @Test
    void childJvmTrainsOnExitAndTheNextEnvironmentStartsWithTheCache() throws Exception {
        Path jar = echoJar();
        List<Path> extra = List.of(jarOf("aws-lambda-java-events"), jarOf("joda-time"));
        byte[] event = "{\"n\":1}".getBytes(StandardCharsets.UTF_8);
        try (LocalLambda lambda = LocalLambda.start(LambdaOptions.defaults())) {
            lambda.register(new FunctionConfig("echo", jar, EchoHandler.class.getName() + "::handleRequest", 256, 30,
                    Map.of(), extra));
            assertThat(lambda.invoke("echo", event).ok()).isTrue();
        } // closing lets the training JVM exit normally and write the cache
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .anyMatch(n -> n.matches("echo\\.jar\\.[0-9a-f]{12}\\.aot")).noneMatch(n -> n.endsWith(".tmp"));
        }
        try (LocalLambda lambda = LocalLambda.start(LambdaOptions.defaults())) {
            // AOTMode=on: the JVM refuses to start unless it can use the cache (the function's JAVA_TOOL_OPTIONS,
            // outside the cache key)
            lambda.register(new FunctionConfig("echo", jar, EchoHandler.class.getName() + "::handleRequest", 256, 30,
                    Map.of("JAVA_TOOL_OPTIONS", "-XX:AOTMode=on"), extra));
            InvokeResult r = lambda.invoke("echo", event);
            assertThat(r.ok()).as(r.payloadText()).isTrue();
        }
    }

    private Path echoJar() throws Exception {
        Path classes = Path.of("target", "test-classes");
        Path jar = dir.resolve("echo.jar");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream zip = new JarOutputStream(out);
             Stream<Path> files = Files.walk(classes.resolve("io/photopipe/local/testfn"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                zip.putNextEntry(new JarEntry(classes.relativize(f).toString().replace(File.separatorChar, '/')));
                zip.write(Files.readAllBytes(f));
                zip.closeEntry();
            }
        }
        return jar;
    }

    private static Path jarOf(String artifact) {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(e -> Path.of(e).getFileName().toString().startsWith(artifact + "-")).map(Path::of)
                .findFirst().orElseThrow();
    }
}
