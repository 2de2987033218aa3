package io.photopipe.producer;

import com.fasterxml.jackson.databind.JsonNode;
import io.photopipe.producer.internal.Json;
import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs the CLI in process against the embedded servers, capturing exit code and output. */
final class Cli {
    record Result(int exitCode, String out, String err) {
        JsonNode json() {
            try {
                return Json.MAPPER.readTree(out.strip().lines().reduce((a, b) -> b).orElseThrow());
            } catch (Exception e) {
                throw new AssertionError("not JSON: " + out + "\nstderr: " + err, e);
            }
        }
    }

    static Result run(String... args) {
        CommandLine cl = ProducerCli.commandLine(Stack.get().cli());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    private Cli() {
    }
}
