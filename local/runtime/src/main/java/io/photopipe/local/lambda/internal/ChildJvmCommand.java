package io.photopipe.local.lambda.internal;

import io.photopipe.local.lambda.FunctionConfig;
import io.photopipe.local.lambda.LambdaOptions;
import java.io.File;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/** The command line and environment of an execution environment's JVM, as Lambda's Java runtime launches it. */
public final class ChildJvmCommand {
    /** The account id of local ARNs, the same as the local queues'. */
    public static final String ACCOUNT_ID = io.photopipe.local.servers.LocalCredentials.ACCOUNT_ID;
    /** Main class of aws-lambda-java-runtime-interface-client. */
    public static final String RIC_MAIN = "com.amazonaws.services.lambda.runtime.api.client.AWSLambda";

    private ChildJvmCommand() {
    }

    /**
     * The JVM flags Lambda's Java runtime starts with for this memory size.
     *
     * <p>Heap, metaspace and code cache split the function's memory 85/10/5 %, as observed in Lambda's own launch
     * command ({@code -XX:MaxHeapSize=222823k -XX:MaxMetaspaceSize=26214k -XX:ReservedCodeCacheSize=13107k
     * -XX:+UseSerialGC} at 256 MB, <a href="https://stackoverflow.com/questions/35298616">reported here</a>); the
     * serial GC is the default of the Java runtimes and tiered compilation stops at level 1 on java17 and later
     * (<a href="https://docs.aws.amazon.com/lambda/latest/dg/java-customization.html">Customize Java runtime
     * startup behavior</a>). The JVM sees as many CPUs as Lambda gives: one vCPU per 1,769 MB
     * (<a href="https://docs.aws.amazon.com/lambda/latest/dg/configuration-memory.html">memory and computing
     * power</a>), so thread pools size themselves as they would there.
     */
    public static List<String> jvmFlags(int memoryMb) {
        long kb = memoryMb * 1024L;
        int cpus = (int) Math.max(1, Math.min(6, Math.ceil(memoryMb / 1769.0)));
        return List.of(
                "-XX:MaxHeapSize=" + ((kb * 85 + 99) / 100) + "k",
                "-XX:MaxMetaspaceSize=" + (kb * 10 / 100) + "k",
                "-XX:ReservedCodeCacheSize=" + Math.max(2048, kb * 5 / 100) + "k",
                "-XX:+UseSerialGC",
                "-XX:+TieredCompilation",
                "-XX:TieredStopAtLevel=1",
                "-XX:ActiveProcessorCount=" + cpus,
                "-Xshare:auto",
                "-Djava.net.preferIPv4Stack=true",
                "--enable-native-access=ALL-UNNAMED");
    }

    /** {@code java FLAGS -cp RIC:FUNCTION AWSLambda HANDLER}. */
    public static List<String> command(FunctionConfig fn, LambdaOptions options, List<Path> ricJars) {
        return command(fn, options, ricJars, AotCache.Plan.NONE);
    }

    /** The same, with the function jar's AOT cache used or trained as {@code aot} says. */
    public static List<String> command(FunctionConfig fn, LambdaOptions options, List<Path> ricJars, AotCache.Plan aot) {
        List<String> cmd = new ArrayList<>();
        cmd.add(javaHome(options).resolve("bin").resolve("java").toString());
        cmd.addAll(AotCache.apply(aot, flags(fn, options)));
        cmd.addAll(RicNativeLibrary.jvmOption(ricJars)); // not the racy shared /tmp copy: see RicNativeLibrary
        List<String> cp = new ArrayList<>();
        ricJars.forEach(p -> cp.add(p.toString()));
        fn.classpath().forEach(p -> cp.add(p.toAbsolutePath().toString()));
        cmd.add("-cp");
        cmd.add(String.join(File.pathSeparator, cp));
        cmd.add(RIC_MAIN);
        cmd.add(fn.handler());
        return cmd;
    }

    /** Whether this environment uses the function jar's AOT cache, trains it, or neither (see {@link AotCache}). */
    public static AotCache.Plan aotPlan(FunctionConfig fn, LambdaOptions options, List<Path> ricJars) {
        List<Path> cp = new ArrayList<>(ricJars);
        cp.addAll(fn.classpath());
        return AotCache.plan(fn.jar(), javaHome(options), flags(fn, options), cp);
    }

    private static List<String> flags(FunctionConfig fn, LambdaOptions options) {
        List<String> flags = new ArrayList<>(jvmFlags(fn.memoryMb()));
        flags.addAll(options.extraJvmOptions());
        return flags;
    }

    private static Path javaHome(LambdaOptions options) {
        return options.javaHome() != null ? options.javaHome() : Path.of(System.getProperty("java.home"));
    }

    /**
     * The environment Lambda defines for a function, then the function's own variables; see
     * <a href="https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime">Defined
     * runtime environment variables</a>. The child does not inherit our environment (a function in Lambda sees only
     * these), except PATH and LANG so tools work.
     */
    public static Map<String, String> environment(FunctionConfig fn, LambdaOptions options, String runtimeApi,
                                                  Map<String, String> credentials) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin"));
        env.put("LANG", "en_US.UTF-8");
        env.put("TZ", ":UTC");
        env.put("_HANDLER", fn.handler());
        env.put("AWS_EXECUTION_ENV", "AWS_Lambda_java25");
        env.put("AWS_LAMBDA_RUNTIME_API", runtimeApi);
        env.put("AWS_LAMBDA_FUNCTION_NAME", fn.name());
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(fn.memoryMb()));
        env.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
        env.put("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand");
        env.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + fn.name());
        env.put("AWS_LAMBDA_LOG_STREAM_NAME", logStreamName());
        env.put("AWS_REGION", options.region());
        env.put("AWS_DEFAULT_REGION", options.region());
        env.put("LAMBDA_TASK_ROOT", fn.jar().toAbsolutePath().getParent().toString());
        env.put("LAMBDA_RUNTIME_DIR", "/var/runtime");
        env.putAll(credentials);
        env.putAll(fn.environment());
        return env;
    }

    /** {@code arn:aws:lambda:REGION:ACCOUNT:function:NAME}. */
    public static String functionArn(String region, String name) {
        return "arn:aws:lambda:" + region + ":" + ACCOUNT_ID + ":function:" + name;
    }

    /** An X-Ray trace header as Lambda passes it ({@code Root=1-<8 hex time>-<24 hex>;Parent=<16 hex>;Sampled=0}). */
    public static String traceId() {
        var r = ThreadLocalRandom.current();
        HexFormat hex = HexFormat.of();
        byte[] id = new byte[12];
        byte[] parent = new byte[8];
        r.nextBytes(id);
        r.nextBytes(parent);
        return "Root=1-" + Long.toHexString(System.currentTimeMillis() / 1000) + "-" + hex.formatHex(id)
                + ";Parent=" + hex.formatHex(parent) + ";Sampled=0;Lineage=1:" + hex.formatHex(parent, 0, 4) + ":0";
    }

    private static String logStreamName() {
        byte[] b = new byte[16];
        ThreadLocalRandom.current().nextBytes(b);
        return LocalDate.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy/MM/dd"))
                + "/[$LATEST]" + HexFormat.of().formatHex(b);
    }
}
