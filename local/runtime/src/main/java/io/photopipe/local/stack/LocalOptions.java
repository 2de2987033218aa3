package io.photopipe.local.stack;

import io.photopipe.local.lambda.LambdaOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * How to run the local stack (what is not pipeline settings).
 *
 * @param projectRoot  the repository root (function jars are found under it)
 * @param dataDir      objects, queues, the notification outbox and function logs live here (default
 *                     {@code <projectRoot>/.photopipe}); they survive restarts
 * @param host         interface every server binds (default 127.0.0.1)
 * @param s3Port       S3 port (default 9000; 0 for any free port)
 * @param sqsPort      SQS port (default 9324; 0 for any free port)
 * @param apiPort      upload API port (default 8080; 0 for any free port)
 * @param functionMode child JVMs with the real Lambda runtime client (default) or in-process handlers
 * @param workerJar    the worker's deployment jar
 * @param apiJar       the API's deployment jar; the API is skipped when it does not exist
 * @param s3Faults     a fault spec for the S3 server ({@code S3Faults.parse}), "" for none
 * @param runWorker    whether the event source mapping consumes the queue (false: messages stay queued)
 * @param envFile      where to write the {@code local.env} file, or null for none
 * @param controlPort  the control endpoint on 127.0.0.1 ({@link ControlServer}: SQS outage, health, metrics); 0 for a
 *                     free port, -1 (the default) for none
 */
public record LocalOptions(Path projectRoot, Path dataDir, String host, int s3Port, int sqsPort, int apiPort,
                           LambdaOptions.Mode functionMode, Path workerJar, Path apiJar, String s3Faults,
                           boolean runWorker, Path envFile, int controlPort) {

    public static final int DEFAULT_S3_PORT = 9000;
    public static final int DEFAULT_SQS_PORT = 9324;
    public static final int DEFAULT_API_PORT = 8080;
    public static final String WORKER_JAR = "worker/target/photopipe-worker-lambda.jar";
    public static final String API_JAR = "api/target/photopipe-api-lambda.jar";

    public LocalOptions {
        Objects.requireNonNull(projectRoot, "projectRoot");
        dataDir = dataDir == null ? projectRoot.resolve(".photopipe") : dataDir;
        host = host == null || host.isBlank() ? "127.0.0.1" : host;
        requirePort("s3Port", s3Port);
        requirePort("sqsPort", sqsPort);
        requirePort("apiPort", apiPort);
        functionMode = functionMode == null ? LambdaOptions.Mode.CHILD_JVM : functionMode;
        workerJar = workerJar == null ? projectRoot.resolve(WORKER_JAR) : workerJar;
        apiJar = apiJar == null ? projectRoot.resolve(API_JAR) : apiJar;
        s3Faults = s3Faults == null ? "" : s3Faults;
        if (controlPort != -1) {
            requirePort("controlPort", controlPort);
        }
    }

    /** The same options without a control endpoint (the shape before there was one). */
    public LocalOptions(Path projectRoot, Path dataDir, String host, int s3Port, int sqsPort, int apiPort,
                        LambdaOptions.Mode functionMode, Path workerJar, Path apiJar, String s3Faults,
                        boolean runWorker, Path envFile) {
        this(projectRoot, dataDir, host, s3Port, sqsPort, apiPort, functionMode, workerJar, apiJar, s3Faults,
                runWorker, envFile, -1);
    }

    private static void requirePort(String name, int port) {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException(name + ": " + port + " must be 0 (any free port) or 1-65535");
        }
    }

    /** The defaults of {@code ./photopipe local}: fixed ports, {@code .photopipe/} and its {@code local.env}. */
    public static LocalOptions defaults(Path projectRoot) {
        Path data = projectRoot.resolve(".photopipe");
        return new LocalOptions(projectRoot, data, "127.0.0.1", DEFAULT_S3_PORT, DEFAULT_SQS_PORT, DEFAULT_API_PORT,
                LambdaOptions.Mode.CHILD_JVM, null, null, "", true, data.resolve("local.env"), -1);
    }

    /** Free ports, the given data directory, no env file: for tests and the demo, beside a running stack. */
    public static LocalOptions ephemeral(Path projectRoot, Path dataDir) {
        return new LocalOptions(projectRoot, dataDir, "127.0.0.1", 0, 0, 0, LambdaOptions.Mode.CHILD_JVM, null,
                null, "", true, null, -1);
    }

    public LocalOptions withDataDir(Path dir) {
        return new LocalOptions(projectRoot, dir, host, s3Port, sqsPort, apiPort, functionMode, workerJar, apiJar,
                s3Faults, runWorker, envFile, controlPort);
    }

    public LocalOptions withPorts(int s3, int sqs, int api) {
        return new LocalOptions(projectRoot, dataDir, host, s3, sqs, api, functionMode, workerJar, apiJar,
                s3Faults, runWorker, envFile, controlPort);
    }

    public LocalOptions withFunctionMode(LambdaOptions.Mode mode) {
        return new LocalOptions(projectRoot, dataDir, host, s3Port, sqsPort, apiPort, mode, workerJar, apiJar,
                s3Faults, runWorker, envFile, controlPort);
    }

    public LocalOptions withS3Faults(String spec) {
        return new LocalOptions(projectRoot, dataDir, host, s3Port, sqsPort, apiPort, functionMode, workerJar,
                apiJar, spec, runWorker, envFile, controlPort);
    }

    public LocalOptions withRunWorker(boolean run) {
        return new LocalOptions(projectRoot, dataDir, host, s3Port, sqsPort, apiPort, functionMode, workerJar,
                apiJar, s3Faults, run, envFile, controlPort);
    }

    public LocalOptions withEnvFile(Path file) {
        return new LocalOptions(projectRoot, dataDir, host, s3Port, sqsPort, apiPort, functionMode, workerJar,
                apiJar, s3Faults, runWorker, file, controlPort);
    }

    /** With a control endpoint on {@code port} (0: a free one; -1: none). */
    public LocalOptions withControlPort(int port) {
        return new LocalOptions(projectRoot, dataDir, host, s3Port, sqsPort, apiPort, functionMode, workerJar,
                apiJar, s3Faults, runWorker, envFile, port);
    }

    public LocalOptions withApiJar(Path jar) {
        return new LocalOptions(projectRoot, dataDir, host, s3Port, sqsPort, apiPort, functionMode, workerJar,
                jar, s3Faults, runWorker, envFile, controlPort);
    }

    /**
     * The repository root: the first directory from {@code start} upwards holding both the {@code photopipe}
     * launcher and a {@code pom.xml}.
     *
     * @throws IllegalStateException when there is none
     */
    public static Path findProjectRoot(Path start) {
        for (Path p = start.toAbsolutePath().normalize(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("photopipe")) && Files.isRegularFile(p.resolve("pom.xml"))) {
                return p;
            }
        }
        throw new IllegalStateException("no photopipe checkout at or above " + start.toAbsolutePath()
                + " (looked for the ./photopipe launcher beside a pom.xml); run from the repository");
    }
}
