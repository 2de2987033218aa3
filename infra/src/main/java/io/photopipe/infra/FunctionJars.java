package io.photopipe.infra;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The deployment jars of the two functions, as the worker and API modules build them. The CDK copies each into the
 * cloud assembly as a file asset, so they must exist at synthesis time.
 *
 * @param worker the worker's shaded jar for the function's architecture (each carries only its platform's native
 *               codecs)
 * @param api    the API's shaded jar
 */
public record FunctionJars(Path worker, Path api) {

    /** Where the worker module writes its deployment jar, relative to the project root. */
    public static final String WORKER_JAR = "worker/target/photopipe-worker-lambda.jar";
    /** The worker's deployment jar for {@code worker.architecture = x86_64}. */
    public static final String WORKER_JAR_X86_64 = "worker/target/photopipe-worker-lambda-x86_64.jar";
    /** Where the API module writes its deployment jar, relative to the project root. */
    public static final String API_JAR = "api/target/photopipe-api-lambda.jar";
    /** The worker's handler, as the local runtime also loads it. */
    public static final String WORKER_HANDLER = "io.photopipe.worker.WorkerHandler::handleRequest";
    /** The API's handler, as the local runtime also loads it. */
    public static final String API_HANDLER = "io.photopipe.api.ApiHandler::handleRequest";

    /**
     * The jars under a project root, checked to exist.
     *
     * @throws IllegalStateException saying which build makes the missing jar
     */
    public static FunctionJars under(Path projectRoot) {
        FunctionJars jars = new FunctionJars(projectRoot.resolve(WORKER_JAR), projectRoot.resolve(API_JAR));
        requireJar(jars.worker(), "worker");
        requireJar(jars.api(), "api");
        return jars;
    }

    /**
     * These jars with the worker's for {@code architecture} ({@code worker.architecture}): the arm64 jar carries only
     * the arm64 native codecs, the x86_64 jar (built beside it) only the x86_64 ones.
     *
     * @throws IllegalStateException when that jar was not built
     */
    public FunctionJars forWorkerArchitecture(String architecture) {
        if (!"x86_64".equals(architecture)) {
            return this;
        }
        FunctionJars jars = new FunctionJars(worker.resolveSibling(Path.of(WORKER_JAR_X86_64).getFileName()), api);
        requireJar(jars.worker(), "worker");
        return jars;
    }

    static void requireJar(Path jar, String module) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("The " + module + " function's jar " + jar + " does not exist; build it "
                    + "first with: ./mvnw -B -q -pl " + module + " -am package -DskipTests   (or ./photopipe infra "
                    + "synth, which builds it)");
        }
    }
}
