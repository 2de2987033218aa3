package io.photopipe.local.lambda;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One function, as {@code CreateFunction} would describe it: its code (a deployment jar, or a classes directory in
 * tests), its handler, memory, timeout and environment.
 *
 * @param name            function name (as in the ARN; letters, digits, '-' and '_', up to 64)
 * @param jar             the deployment jar (or a classes directory), loaded by the runtime as Lambda loads {@code /var/task}
 * @param handler         {@code package.Class::method} or {@code package.Class}
 * @param memoryMb        128 to 10240; the child JVM's heap is derived from it as Lambda's Java runtime does
 * @param timeoutSeconds  1 to 900; an invocation that overruns is killed with its environment
 * @param environment     the function's environment variables (merged over the standard Lambda ones)
 * @param extraClasspath  more jars or directories for the function's classpath (tests: aws-lambda-java-events)
 * @see <a href="https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html">CreateFunction</a>
 */
public record FunctionConfig(String name, Path jar, String handler, int memoryMb, int timeoutSeconds,
                             Map<String, String> environment, List<Path> extraClasspath) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern HANDLER = Pattern.compile("[\\p{L}_$][\\p{L}\\p{N}_$.]*(::[\\p{L}_$][\\p{L}\\p{N}_$]*)?");
    // Lambda reserves these; a function may not set them (https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime)
    private static final List<String> RESERVED = List.of("_HANDLER", "AWS_REGION", "AWS_EXECUTION_ENV",
            "AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "AWS_LAMBDA_FUNCTION_VERSION",
            "AWS_LAMBDA_LOG_GROUP_NAME", "AWS_LAMBDA_LOG_STREAM_NAME", "AWS_LAMBDA_RUNTIME_API", "LAMBDA_TASK_ROOT",
            "LAMBDA_RUNTIME_DIR", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN");

    public FunctionConfig {
        require(name != null && NAME.matcher(name).matches(), "name",
                "'" + name + "' must be 1-64 letters, digits, '-' or '_'");
        require(jar != null, "jar", "is required (the function's deployment jar)");
        require(Files.exists(jar), "jar", "'" + jar + "' does not exist; build it first (for the worker: "
                + "./mvnw -pl worker -am package -DskipTests)");
        require(handler != null && HANDLER.matcher(handler).matches(), "handler",
                "'" + handler + "' must look like package.Class::method or package.Class");
        require(memoryMb >= 128 && memoryMb <= 10_240, "memoryMb", memoryMb + " must be from 128 to 10240 (MB)");
        require(timeoutSeconds >= 1 && timeoutSeconds <= 900, "timeoutSeconds",
                timeoutSeconds + " must be from 1 to 900");
        environment = environment == null ? Map.of() : Map.copyOf(environment);
        for (String key : environment.keySet()) {
            require(!RESERVED.contains(key), "environment", "'" + key + "' is reserved by Lambda and cannot be set");
        }
        extraClasspath = extraClasspath == null ? List.of() : List.copyOf(extraClasspath);
    }

    /** A function with its code in one jar (the usual case: a shaded deployment jar). */
    public FunctionConfig(String name, Path jar, String handler, int memoryMb, int timeoutSeconds,
                          Map<String, String> environment) {
        this(name, jar, handler, memoryMb, timeoutSeconds, environment, List.of());
    }

    /** The same function with more classpath entries. */
    public FunctionConfig withExtraClasspath(List<Path> more) {
        return new FunctionConfig(name, jar, handler, memoryMb, timeoutSeconds, environment, more);
    }

    /** The same function with another timeout. */
    public FunctionConfig withTimeoutSeconds(int seconds) {
        return new FunctionConfig(name, jar, handler, memoryMb, seconds, environment, extraClasspath);
    }

    /** The same function with another environment. */
    public FunctionConfig withEnvironment(Map<String, String> env) {
        return new FunctionConfig(name, jar, handler, memoryMb, timeoutSeconds, env, extraClasspath);
    }

    /** The class part of the handler. */
    public String handlerClass() {
        int i = handler.indexOf("::");
        return i < 0 ? handler : handler.substring(0, i);
    }

    /** The method part of the handler, {@code handleRequest} when absent (as the Java runtime assumes). */
    public String handlerMethod() {
        int i = handler.indexOf("::");
        return i < 0 ? "handleRequest" : handler.substring(i + 2);
    }

    /** The function's classpath: the jar, then the extra entries. */
    public List<Path> classpath() {
        var all = new java.util.ArrayList<Path>();
        all.add(jar);
        all.addAll(extraClasspath);
        return List.copyOf(all);
    }

    private static void require(boolean ok, String field, String message) {
        if (!ok) {
            throw new IllegalArgumentException("function " + field + ": " + message);
        }
    }
}
