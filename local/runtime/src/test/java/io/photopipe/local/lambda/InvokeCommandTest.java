package io.photopipe.local.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import io.photopipe.local.TestFunctions;
import io.photopipe.local.testfn.EchoHandler;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code ./photopipe local invoke}: one invocation through the child-JVM runtime, response on stdout. */
class InvokeCommandTest {
    @TempDir
    Path dir;

    private record Run(int status, String out, String err) {
    }

    private Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
        int status = new CommandLine(new InvokeCommand(new PrintStream(out, true, StandardCharsets.UTF_8), errStream))
                .setErr(new java.io.PrintWriter(errStream, true)).execute(args);
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** The echo test function (its classes directory as the "jar"). */
    private String[] echo(String eventFile) {
        return new String[] {"echo", "--event", eventFile, "--jar", TestFunctions.testClasses().toString(),
                "--handler", EchoHandler.class.getName() + "::handleRequest", "--memory", "256",
                "--local-env", dir.resolve("none.env").toString()};
    }

    @Test
    void printsTheResponseOfOneInvocationInAChildJvm() throws Exception {
        Path event = Files.writeString(dir.resolve("event.json"), "{\"n\":42}");
        Run r = run(echo(event.toString()));
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("\"input\":{\"n\":42}").contains("\"functionName\":\"echo\"");
        assertThat(r.err()).contains("REPORT echo").contains("Init Duration");
    }

    @Test
    void aFunctionErrorPrintsTheErrorDocumentAndExitsWithOne() throws Exception {
        Path event = Files.writeString(dir.resolve("event.json"), "{\"throw\":\"nope\"}");
        Run r = run(echo(event.toString()));
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.out()).contains("\"errorMessage\":\"nope\"").contains("java.lang.IllegalStateException");
    }

    @Test
    void readsEndpointsFromTheLocalEnvFile() throws Exception {
        Path env = Files.writeString(dir.resolve("local.env"), "# comment\nexport AWS_ENDPOINT_URL_SQS='http://127.0.0.1:1234'\n");
        assertThat(InvokeCommand.readEnvFile(env)).containsEntry("AWS_ENDPOINT_URL_SQS", "http://127.0.0.1:1234");
    }

    @Test
    void anUnknownFunctionWithoutJarIsAUsageError() {
        Run r = run("mystery", "--local-env", dir.resolve("none.env").toString());
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("give its --jar and --handler");
    }
}
