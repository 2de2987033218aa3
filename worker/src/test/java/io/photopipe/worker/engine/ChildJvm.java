package io.photopipe.worker.engine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Starts {@link ChildRender} in a new JVM with this test run's classpath. */
final class ChildJvm {

    record Result(int exitCode, String output) {
    }

    private ChildJvm() {
    }

    static List<String> javaCommand(String... jvmArgs) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of(jvmArgs));
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(ChildRender.class.getName());
        return cmd;
    }

    /**
     * The flags Lambda's Java runtime starts a function of {@code memoryMb} with: heap, metaspace and code cache 85,
     * 10 and 5% of the memory, the serial GC, C1 only (as local/runtime's ChildJvmCommand, which cites the sources).
     */
    static List<String> lambdaFlags(int memoryMb) {
        long kb = memoryMb * 1024L;
        return List.of("-XX:MaxHeapSize=" + ((kb * 85 + 99) / 100) + "k", "-XX:MaxMetaspaceSize=" + (kb * 10 / 100) + "k",
                "-XX:ReservedCodeCacheSize=" + Math.max(2048, kb * 5 / 100) + "k", "-XX:+UseSerialGC",
                "-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1", "-XX:ActiveProcessorCount=2", "-Xshare:auto",
                "--enable-native-access=ALL-UNNAMED");
    }

    static Result run(List<String> command, int timeoutSeconds) throws IOException, InterruptedException {
        return run(command, java.util.Map.of(), timeoutSeconds);
    }

    static Result run(List<String> command, java.util.Map<String, String> env, int timeoutSeconds)
            throws IOException, InterruptedException {
        Path log = Files.createTempFile("child-jvm", ".log");
        try {
            // output to a file, so a hung child cannot block the test on a pipe and the timeout always applies
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().putAll(env);
            Process p = pb.start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("child JVM did not finish in " + timeoutSeconds + " s: " + command
                        + "\n" + Files.readString(log, StandardCharsets.UTF_8));
            }
            return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
