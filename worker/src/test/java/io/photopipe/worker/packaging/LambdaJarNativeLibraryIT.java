package io.photopipe.worker.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.photopipe.worker.engine.Codecs;
import java.io.File;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The deployment jar (built in the package phase, so this runs after it, under failsafe) carries the native codecs
 * for Lambda's arm64 only, and nothing else of the platform jar; the host's library (x86_64 here) loads from the
 * test classpath; and the deployment jar alone on this host says plainly that it has no library for it.
 */
class LambdaJarNativeLibraryIT {

    private static final Path JAR = Path.of("target", "photopipe-worker-lambda.jar");
    private static final String ARM64 = "org/bytedeco/leptonica/linux-arm64/libleptonica.so.6";

    @Test
    void theDeploymentJarHoldsTheArm64LibraryOnly() throws Exception {
        try (JarFile jar = new JarFile(JAR.toFile())) {
            List<String> natives = jar.stream().map(JarEntry::getName).filter(n -> n.startsWith("org/bytedeco/"))
                    .filter(n -> !n.endsWith("/")).toList();
            assertThat(natives).containsExactly(ARM64);
            try (InputStream in = jar.getInputStream(jar.getJarEntry(ARM64))) {
                byte[] elf = in.readNBytes(20);
                assertThat(new String(elf, 1, 3, StandardCharsets.ISO_8859_1)).isEqualTo("ELF");
                assertThat((elf[18] & 0xFF) | (elf[19] & 0xFF) << 8).as("e_machine EM_AARCH64").isEqualTo(183);
            }
        }
    }

    @Test
    void theX86DeploymentJarHoldsTheX86LibraryOnly() throws Exception {
        try (JarFile jar = new JarFile(Path.of("target", "photopipe-worker-lambda-x86_64.jar").toFile())) {
            List<String> natives = jar.stream().map(JarEntry::getName).filter(n -> n.startsWith("org/bytedeco/"))
                    .filter(n -> !n.endsWith("/")).toList();
            String x86 = "org/bytedeco/leptonica/linux-x86_64/libleptonica.so.6";
            assertThat(natives).containsExactly(x86);
            try (InputStream in = jar.getInputStream(jar.getJarEntry(x86))) {
                byte[] elf = in.readNBytes(20);
                assertThat((elf[18] & 0xFF) | (elf[19] & 0xFF) << 8).as("e_machine EM_X86_64").isEqualTo(62);
            }
        }
    }

    @Test
    void theHostsLibraryLoadsFromTheTestClasspath() {
        assertThat(Codecs.nativeAvailable()).as(Codecs.nativeStatus()).isTrue();
        assertThat(Codecs.nativeStatus()).contains("leptonica-1.87.0").contains("libjpeg-turbo 3")
                .contains("libwebp 1.6").contains("libleptonica-" + hostPlatform());
    }

    @Test
    void theDeploymentJarAloneOnThisHostFallsBackToImageIoAndSaysWhy(@TempDir Path dir) throws Exception {
        String host = hostPlatform();
        org.junit.jupiter.api.Assumptions.assumeFalse(host.equals("linux-arm64"), "on arm64 the jar's library is the host's");
        Path log = dir.resolve("out.txt");
        // the jar, and the test classes for a main: the engine comes from the jar only
        String cp = JAR.toAbsolutePath() + File.pathSeparator + Path.of("target", "test-classes").toAbsolutePath();
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", cp, "io.photopipe.worker.engine.ChildRender", "png",
                dir.toString(), "baseline_testorig.jpg").redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String out = Files.readString(log);
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("this jar has no native codecs for " + host).contains("imageio=1")
                .contains("webp=refused");
        ProcessBuilder required = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", cp, "io.photopipe.worker.engine.ChildRender", "config")
                .redirectErrorStream(true).redirectOutput(log.toFile());
        required.environment().put("PHOTOPIPE_NATIVE", "required");
        Process q = required.start();
        assertThat(q.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(Files.readString(log)).as("PHOTOPIPE_NATIVE=required fails start-up, saying why")
                .contains("config=refused: PHOTOPIPE_NATIVE: required, but this jar has no native codecs for " + host);
    }

    private static String hostPlatform() {
        String arch = System.getProperty("os.arch");
        return "linux-" + (arch.equals("amd64") || arch.equals("x86_64") ? "x86_64" : arch.equals("aarch64") ? "arm64" : arch);
    }
}
