package io.photopipe.local.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.photopipe.local.TestFunctions;
import io.photopipe.local.lambda.internal.ChildJvmCommand;
import io.photopipe.local.testfn.EchoHandler;
import io.photopipe.local.testfn.InitFailHandler;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** In-process mode, configuration and the JVM flags derived from memory. */
class LocalLambdaInProcessTest {

    private static byte[] json(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void concurrentInvocationsGetTheirOwnEnvironmentsWhichAreReusedWhenWarm() {
        try (LocalLambda lambda = LocalLambda.start(LambdaOptions.inProcess())) {
            lambda.register(TestFunctions.function("echo", EchoHandler.class, 30));
            List<CompletableFuture<InvokeResult>> running = IntStream.range(0, 3).mapToObj(i ->
                    CompletableFuture.supplyAsync(() -> lambda.invoke("echo", json("{\"sleepMs\":300}")))).toList();
            running.forEach(f -> assertThat(f.join().ok()).isTrue());
            var stats = lambda.stats().function("echo");
            assertThat(stats.maxEnvironments()).isBetween(2, 3);
            assertThat(stats.coldStarts()).isEqualTo(stats.maxEnvironments());
            InvokeResult warm = lambda.invoke("echo", json("{}"));
            assertThat(warm.coldStart()).isFalse();
            assertThat(lambda.stats().function("echo").invocations()).isEqualTo(4);
            assertThat(lambda.stats().function("echo").invoke().count()).isEqualTo(4);
        }
    }

    @Test
    void inProcessErrorsTimeoutsAndInitErrorsAreReportedAsInTheChildJvm() {
        try (LocalLambda lambda = LocalLambda.start(LambdaOptions.inProcess())) {
            lambda.register(TestFunctions.function("echo", EchoHandler.class, 1));
            lambda.register(TestFunctions.function("broken", InitFailHandler.class, 1));
            InvokeResult err = lambda.invoke("echo", json("{\"throw\":\"bad\"}"));
            assertThat(err.errorType()).isEqualTo("java.lang.IllegalStateException");
            assertThat(err.payloadText()).contains("\"errorMessage\":\"bad\"");
            InvokeResult timeout = lambda.invoke("echo", json("{\"sleepMs\":5000}"));
            assertThat(timeout.timedOut()).isTrue();
            assertThat(timeout.payloadText()).contains("Task timed out after 1.00 seconds");
            InvokeResult init = lambda.invoke("broken", json("\"x\""));
            assertThat(init.errorType()).isEqualTo("java.lang.ExceptionInInitializerError");
            assertThat(init.payloadText()).contains("Error loading class " + InitFailHandler.class.getName());
        }
    }

    @Test
    void unknownFunctionsAndOversizedPayloadsAreRefused() {
        try (LocalLambda lambda = LocalLambda.start(LambdaOptions.inProcess())) {
            assertThatIllegalArgumentException().isThrownBy(() -> lambda.invoke("nope", json("{}")))
                    .withMessageContaining("Function not found: nope");
            lambda.register(TestFunctions.function("echo", EchoHandler.class, 30));
            InvokeResult r = lambda.invoke("echo", new byte[6 * 1024 * 1024 + 1]);
            assertThat(r.errorType()).isEqualTo("RequestEntityTooLargeException");
            assertThat(lambda.stats().function("echo").environments()).isZero();
        }
    }

    @Test
    void functionConfigIsValidatedNamingTheField() {
        var base = TestFunctions.function("ok", EchoHandler.class, 30);
        assertThatIllegalArgumentException().isThrownBy(() -> new FunctionConfig("bad name", base.jar(),
                base.handler(), 256, 30, Map.of())).withMessageContaining("function name");
        assertThatIllegalArgumentException().isThrownBy(() -> new FunctionConfig("f", base.jar(), base.handler(),
                64, 30, Map.of())).withMessageContaining("memoryMb");
        assertThatIllegalArgumentException().isThrownBy(() -> new FunctionConfig("f", base.jar(), base.handler(),
                256, 901, Map.of())).withMessageContaining("timeoutSeconds");
        assertThatIllegalArgumentException().isThrownBy(() -> new FunctionConfig("f", base.jar(), "not a handler!",
                256, 30, Map.of())).withMessageContaining("handler");
        assertThatIllegalArgumentException().isThrownBy(() -> new FunctionConfig("f", base.jar().resolve("missing.jar"),
                base.handler(), 256, 30, Map.of())).withMessageContaining("does not exist");
        assertThatIllegalArgumentException().isThrownBy(() -> new FunctionConfig("f", base.jar(), base.handler(),
                256, 30, Map.of("AWS_REGION", "x"))).withMessageContaining("reserved");
    }

    @Test
    void jvmFlagsFollowLambdasSplitOfMemory() {
        List<String> flags = ChildJvmCommand.jvmFlags(256);
        // 85 % heap, 10 % metaspace, 5 % code cache of 256 MB: Lambda's own numbers at that size
        assertThat(flags).contains("-XX:MaxHeapSize=222823k", "-XX:MaxMetaspaceSize=26214k",
                "-XX:ReservedCodeCacheSize=13107k", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-XX:ActiveProcessorCount=1");
        assertThat(ChildJvmCommand.jvmFlags(3538)).contains("-XX:ActiveProcessorCount=2");
        assertThat(ChildJvmCommand.jvmFlags(10_240)).contains("-XX:ActiveProcessorCount=6");
    }
}
