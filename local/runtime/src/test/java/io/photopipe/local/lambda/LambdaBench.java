package io.photopipe.local.lambda;

import io.photopipe.local.TestFunctions;
import io.photopipe.local.testfn.EchoHandler;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

/**
 * Not a test: measures cold starts and warm invocations of the child-JVM runtime with the echo function.
 * Run: java -cp target/classes:target/test-classes:$(cat target/test-classpath.txt) io.photopipe.local.lambda.LambdaBench [COLD] [WARM]
 */
public final class LambdaBench {
    private LambdaBench() {
    }

    public static void main(String[] args) {
        int cold = args.length > 0 ? Integer.parseInt(args[0]) : 4;
        int warm = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        byte[] payload = "{\"n\":1}".getBytes(StandardCharsets.UTF_8);
        try (LocalLambda lambda = LocalLambda.start(LambdaOptions.defaults())) {
            lambda.register(TestFunctions.function("echo", EchoHandler.class, 30));
            // cold starts: that many concurrent first invocations
            IntStream.range(0, cold).mapToObj(i -> CompletableFuture.supplyAsync(() -> lambda.invoke("echo", payload)))
                    .toList().forEach(CompletableFuture::join);
            long t0 = System.nanoTime();
            for (int i = 0; i < warm; i++) {
                lambda.invoke("echo", payload);
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            var s = lambda.stats().function("echo");
            System.out.printf("cold starts %d: init %s%ninvocations %d: invoke %s%nwarm sequential: %.0f invocations/s%n",
                    s.coldStarts(), s.init(), s.invocations(), s.invoke(), warm / secs);
        }
    }
}
