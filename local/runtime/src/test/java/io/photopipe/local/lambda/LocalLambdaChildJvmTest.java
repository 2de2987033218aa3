package io.photopipe.local.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.photopipe.local.TestFunctions;
import io.photopipe.local.testfn.EchoHandler;
import io.photopipe.local.testfn.InitFailHandler;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real runtime interface client in child JVMs against our Runtime API. */
class LocalLambdaChildJvmTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path logs;
    static LocalLambda lambda;

    @BeforeAll
    static void start() {
        lambda = LocalLambda.start(LambdaOptions.defaults().withLogDirectory(logs));
        lambda.register(TestFunctions.function("echo", EchoHandler.class, 30, Map.of("GREETING", "hello")));
        lambda.register(TestFunctions.function("slow", EchoHandler.class, 1));
        lambda.register(TestFunctions.function("crashy", EchoHandler.class, 30));
        lambda.register(TestFunctions.function("broken", InitFailHandler.class, 5));
        lambda.register(TestFunctions.function("hungry", EchoHandler.class, 256, 30, Map.of()));
        lambda.register(TestFunctions.function("killed", EchoHandler.class, 30));
    }

    @AfterAll
    static void stop() {
        lambda.close();
    }

    private static InvokeResult invoke(String fn, String json) {
        return lambda.invoke(fn, json.getBytes(StandardCharsets.UTF_8));
    }

    private static JsonNode body(InvokeResult r) throws Exception {
        return JSON.readTree(r.payload());
    }

    @Test
    void runtimeClientRoundTripColdThenWarmInTheSameEnvironment() throws Exception {
        InvokeResult first = invoke("echo", "{\"n\":1}");
        assertThat(first.ok()).as(first.toString()).isTrue();
        assertThat(first.coldStart()).isTrue();
        assertThat(first.initDuration()).isNotNull().isPositive();
        JsonNode b = body(first);
        assertThat(b.at("/input/n").asInt()).isEqualTo(1);
        assertThat(b.at("/requestId").asText()).isEqualTo(first.requestId());
        assertThat(b.at("/functionArn").asText()).isEqualTo("arn:aws:lambda:us-east-1:000000000000:function:echo");
        assertThat(b.at("/memoryLimitInMB").asInt()).isEqualTo(256);
        assertThat(b.at("/remainingMs").asLong()).isBetween(1L, 30_000L);
        assertThat(b.at("/env/AWS_LAMBDA_FUNCTION_NAME").asText()).isEqualTo("echo");
        assertThat(b.at("/env/AWS_LAMBDA_FUNCTION_MEMORY_SIZE").asText()).isEqualTo("256");
        assertThat(b.at("/env/AWS_LAMBDA_FUNCTION_VERSION").asText()).isEqualTo("$LATEST");
        assertThat(b.at("/env/AWS_REGION").asText()).isEqualTo("us-east-1");
        assertThat(b.at("/env/_HANDLER").asText()).isEqualTo(EchoHandler.class.getName() + "::handleRequest");
        assertThat(b.at("/env/AWS_LAMBDA_LOG_GROUP_NAME").asText()).isEqualTo("/aws/lambda/echo");
        assertThat(b.at("/env/GREETING").asText()).isEqualTo("hello");
        assertThat(b.at("/env/AWS_ACCESS_KEY_ID").asText()).isNotBlank();
        assertThat(b.at("/traceId").asText()).startsWith("Root=1-");
        // heap is 85 % of 256 MB, tiered compilation stops at C1, as in Lambda
        assertThat(b.at("/maxHeapMb").asLong()).isBetween(200L, 218L);
        assertThat(b.at("/jvmArgs").asText()).contains("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");
        assertThat(b.at("/pid").asLong()).isNotEqualTo(ProcessHandle.current().pid());

        InvokeResult second = invoke("echo", "{\"n\":2}");
        assertThat(second.ok()).isTrue();
        assertThat(second.coldStart()).isFalse();
        assertThat(second.initDuration()).isNull();
        assertThat(body(second).at("/pid").asLong()).isEqualTo(b.at("/pid").asLong());
        assertThat(body(second).at("/calls").asInt()).isEqualTo(2);

        var stats = lambda.stats().function("echo");
        assertThat(stats.coldStarts()).isEqualTo(1);
        assertThat(stats.invocations()).isGreaterThanOrEqualTo(2);
        assertThat(stats.environments()).isEqualTo(1);
        assertThat(stats.init().count()).isEqualTo(1);
        // the environment's output is kept, prefixed, with Lambda's START/END/REPORT lines
        String log = Files.readString(logs.resolve("echo-1.log"));
        assertThat(log).contains("echo handled " + first.requestId(), "REPORT RequestId: " + first.requestId(),
                "Init Duration");
    }

    @Test
    void aFunctionErrorComesBackAsLambdaReportsIt() throws Exception {
        InvokeResult r = invoke("echo", "{\"throw\":\"bad photo\"}");
        assertThat(r.ok()).isFalse();
        assertThat(r.timedOut()).isFalse();
        assertThat(r.errorType()).isEqualTo("java.lang.IllegalStateException");
        assertThat(body(r).at("/errorMessage").asText()).isEqualTo("bad photo");
        // the environment survives a handled exception
        assertThat(invoke("echo", "{}").ok()).isTrue();
    }

    @Test
    void anEnvironmentThatOverrunsTheTimeoutIsKilledAndReplaced() throws Exception {
        InvokeResult warm = invoke("slow", "{}");
        assertThat(warm.ok()).isTrue();
        long pid = body(warm).at("/pid").asLong();
        InvokeResult r = invoke("slow", "{\"sleepMs\":60000}");
        assertThat(r.ok()).isFalse();
        assertThat(r.timedOut()).isTrue();
        assertThat(r.errorType()).isEqualTo("Sandbox.Timedout");
        assertThat(body(r).at("/errorMessage").asText()).endsWith("Task timed out after 1.00 seconds");
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        InvokeResult after = invoke("slow", "{}");
        assertThat(after.ok()).isTrue();
        assertThat(after.coldStart()).isTrue();
        assertThat(lambda.stats().function("slow").timeouts()).isEqualTo(1);
    }

    @Test
    void aCrashingEnvironmentFailsTheInvocationAndIsReplaced() throws Exception {
        InvokeResult r = invoke("crashy", "{\"exit\":3}");
        assertThat(r.ok()).isFalse();
        assertThat(r.errorType()).isEqualTo("Runtime.ExitError");
        assertThat(body(r).at("/errorMessage").asText())
                .isEqualTo("RequestId: " + r.requestId() + " Error: Runtime exited with error: exit status 3");
        InvokeResult after = invoke("crashy", "{}");
        assertThat(after.ok()).as(after.toString()).isTrue();
        assertThat(after.coldStart()).isTrue();
        assertThat(lambda.stats().function("crashy").crashes()).isEqualTo(1);
    }

    /** Lambda's memory limit: above MemorySize the environment is killed, and reported as Lambda reports it. */
    @Test
    void anEnvironmentAboveItsMemoryIsKilledAndReportedAsLambdaDoes() throws Exception {
        InvokeResult warm = invoke("hungry", "{}");
        assertThat(warm.ok()).as(warm.toString()).isTrue();
        long pid = body(warm).at("/pid").asLong();
        InvokeResult r = invoke("hungry", "{\"allocNativeMb\": 400}");
        assertThat(r.ok()).isFalse();
        assertThat(r.timedOut()).isFalse();
        assertThat(r.errorType()).isEqualTo("Runtime.OutOfMemory");
        assertThat(body(r).at("/errorMessage").asText())
                .isEqualTo("RequestId: " + r.requestId() + " Error: Runtime exited with error: signal: killed");
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        String log = Files.readString(logs.resolve("hungry-1.log"));
        assertThat(log).contains("RequestId: " + r.requestId() + " Error: Runtime exited with error: signal: killed\n"
                        + "Runtime.ExitError\nEND RequestId: " + r.requestId())
                .containsPattern("REPORT RequestId: " + r.requestId() + "\tDuration: [0-9.]+ ms\tBilled Duration: "
                        + "[0-9]+ ms\tMemory Size: 256 MB\tMax Memory Used: 256 MB\tStatus: error\tError Type: "
                        + "Runtime.OutOfMemory")
                .containsPattern("REPORT RequestId: " + warm.requestId() + "\t.*\tMax Memory Used: [1-9][0-9]* MB");
        assertThat(lambda.stats().function("hungry").outOfMemory()).isEqualTo(1);
        InvokeResult after = invoke("hungry", "{}");
        assertThat(after.ok()).as(after.toString()).isTrue();
        assertThat(after.coldStart()).isTrue();
    }

    @Test
    void anInitErrorFailsTheInvocationWithTheInitException() throws Exception {
        InvokeResult r = invoke("broken", "\"x\"");
        assertThat(r.ok()).isFalse();
        assertThat(r.coldStart()).isTrue();
        // what the runtime client posts to /init/error when the handler class cannot be loaded
        assertThat(r.errorType()).isEqualTo("java.lang.ExceptionInInitializerError");
        assertThat(body(r).at("/errorMessage").asText()).isEqualTo("Error loading class " + InitFailHandler.class.getName());
        assertThat(lambda.stats().function("broken").environments()).isZero();
    }

    /** SIGKILLed while idle (as the chaos command does): the next invocation gets a new environment, not an error. */
    @Test
    void anIdleEnvironmentKilledFromOutsideIsReplacedNotInvoked() throws Exception {
        InvokeResult warm = invoke("killed", "{}");
        assertThat(warm.ok()).as(warm.toString()).isTrue();
        ProcessHandle env = ProcessHandle.of(body(warm).at("/pid").asLong()).orElseThrow();
        env.destroyForcibly();
        env.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
        InvokeResult after = invoke("killed", "{}");
        assertThat(after.ok()).as(after.toString()).isTrue();
        assertThat(after.coldStart()).isTrue();
        assertThat(lambda.stats().function("killed").errors()).isZero();
    }

    @Test
    void idleEnvironmentsAreReaped() {
        try (LocalLambda l = LocalLambda.start(LambdaOptions.defaults().withIdleTimeout(Duration.ofSeconds(1)))) {
            l.register(TestFunctions.function("idle", EchoHandler.class, 30));
            assertThat(l.invoke("idle", "{}".getBytes(StandardCharsets.UTF_8)).ok()).isTrue();
            assertThat(l.stats().function("idle").environments()).isEqualTo(1);
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                    .until(() -> l.stats().function("idle").environments() == 0);
        }
    }
}
