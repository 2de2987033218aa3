package io.photopipe.local.lambda;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * How {@link LocalLambda} runs functions.
 *
 * @param host            the interface the Runtime API servers listen on (the child JVMs connect to it)
 * @param runtimeApiPort  0 for ephemeral ports; otherwise the first of consecutive ports, one per environment
 * @param javaHome        the JDK the child JVMs run on; null for the one running us
 * @param mode            {@link Mode#CHILD_JVM} (the real runtime client, as in Lambda) or {@link Mode#IN_PROCESS}
 * @param idleTimeout     an environment idle this long is shut down (Lambda keeps them for minutes; unspecified)
 * @param logDirectory    where each environment's stdout/stderr go ({@code FUNCTION-ENV.log}); null: our log only
 * @param extraJvmOptions added to every child JVM's command line (before the function's {@code JAVA_TOOL_OPTIONS})
 * @param region          the {@code AWS_REGION} functions see
 */
public record LambdaOptions(String host, int runtimeApiPort, Path javaHome, Mode mode, Duration idleTimeout,
                            Path logDirectory, List<String> extraJvmOptions, String region) {

    /** Where a function's code runs. */
    public enum Mode {
        /** Each execution environment is a child JVM running the real aws-lambda-java-runtime-interface-client. */
        CHILD_JVM,
        /** Handlers run in this JVM in an isolated class loader, for fast tests; no process isolation or kill. */
        IN_PROCESS
    }

    public LambdaOptions {
        host = host == null || host.isBlank() ? "127.0.0.1" : host;
        if (runtimeApiPort < 0 || runtimeApiPort > 65_535) {
            throw new IllegalArgumentException("runtimeApiPort: " + runtimeApiPort + " must be 0 (ephemeral) or a port");
        }
        mode = mode == null ? Mode.CHILD_JVM : mode;
        idleTimeout = idleTimeout == null ? Duration.ofMinutes(5) : idleTimeout;
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("idleTimeout: " + idleTimeout + " must be positive");
        }
        extraJvmOptions = extraJvmOptions == null ? List.of() : List.copyOf(extraJvmOptions);
        region = region == null || region.isBlank() ? io.photopipe.local.servers.LocalCredentials.REGION : region;
    }

    /** Child JVMs on 127.0.0.1, ephemeral ports, this JDK, environments reaped after 5 idle minutes. */
    public static LambdaOptions defaults() {
        return new LambdaOptions(null, 0, null, Mode.CHILD_JVM, null, null, List.of(), null);
    }

    /** In-process handlers, for fast tests. */
    public static LambdaOptions inProcess() {
        return defaults().withMode(Mode.IN_PROCESS);
    }

    public LambdaOptions withMode(Mode m) {
        return new LambdaOptions(host, runtimeApiPort, javaHome, m, idleTimeout, logDirectory, extraJvmOptions, region);
    }

    public LambdaOptions withIdleTimeout(Duration d) {
        return new LambdaOptions(host, runtimeApiPort, javaHome, mode, d, logDirectory, extraJvmOptions, region);
    }

    public LambdaOptions withLogDirectory(Path dir) {
        return new LambdaOptions(host, runtimeApiPort, javaHome, mode, idleTimeout, dir, extraJvmOptions, region);
    }

    public LambdaOptions withJavaHome(Path home) {
        return new LambdaOptions(host, runtimeApiPort, home, mode, idleTimeout, logDirectory, extraJvmOptions, region);
    }

    public LambdaOptions withRuntimeApiPort(int port) {
        return new LambdaOptions(host, port, javaHome, mode, idleTimeout, logDirectory, extraJvmOptions, region);
    }

    public LambdaOptions withExtraJvmOptions(List<String> opts) {
        return new LambdaOptions(host, runtimeApiPort, javaHome, mode, idleTimeout, logDirectory, opts, region);
    }

    public LambdaOptions withRegion(String r) {
        return new LambdaOptions(host, runtimeApiPort, javaHome, mode, idleTimeout, logDirectory, extraJvmOptions, r);
    }
}
