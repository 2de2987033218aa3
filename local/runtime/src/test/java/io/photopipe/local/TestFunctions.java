package io.photopipe.local;

import io.photopipe.local.lambda.FunctionConfig;
import java.io.File;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Test functions as a function's code: target/test-classes plus aws-lambda-java-events and its joda-time (what a
 * shaded deployment jar would hold; aws-lambda-java-core comes with the runtime client, as in Lambda).
 */
public final class TestFunctions {
    private TestFunctions() {
    }

    public static FunctionConfig function(String name, Class<?> handler, int timeoutSeconds) {
        return function(name, handler, timeoutSeconds, Map.of());
    }

    public static FunctionConfig function(String name, Class<?> handler, int timeoutSeconds, Map<String, String> env) {
        return function(name, handler, 256, timeoutSeconds, env);
    }

    public static FunctionConfig function(String name, Class<?> handler, int memoryMb, int timeoutSeconds,
                                          Map<String, String> env) {
        return new FunctionConfig(name, testClasses(), handler.getName() + "::handleRequest", memoryMb, timeoutSeconds,
                env, List.of(jarOf("aws-lambda-java-events"), jarOf("joda-time")));
    }

    public static Path testClasses() {
        return Path.of("target", "test-classes").toAbsolutePath();
    }

    static Path jarOf(String artifact) {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(e -> Path.of(e).getFileName().toString().startsWith(artifact + "-"))
                .map(Path::of).findFirst()
                .orElseThrow(() -> new IllegalStateException(artifact + " is not on the test classpath"));
    }
}
