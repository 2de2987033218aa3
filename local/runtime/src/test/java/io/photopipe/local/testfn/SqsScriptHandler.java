package io.photopipe.local.testfn;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Test function for the event source mapping, scripted by each message body: {@code fail} (reported in
 * batchItemFailures), {@code throw} (the whole invocation fails), {@code sleep:MS}, {@code exit:STATUS} (the JVM
 * halts), {@code native:MB} (touches MB of native memory and holds it), {@code respond:RAW} (the invocation returns
 * RAW verbatim); anything else succeeds. Every event is saved
 * raw under {@code target/esm-records/QUEUE/} for the test to inspect.
 */
public class SqsScriptHandler implements RequestStreamHandler {

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        byte[] raw = input.readAllBytes();
        SQSEvent event = LambdaEventSerializers.serializerFor(SQSEvent.class, SqsScriptHandler.class.getClassLoader())
                .fromJson(new String(raw, StandardCharsets.UTF_8));
        String arn = event.getRecords().getFirst().getEventSourceArn();
        Path dir = Path.of("target", "esm-records", arn.substring(arn.lastIndexOf(':') + 1));
        Files.createDirectories(dir);
        Files.write(dir.resolve(System.nanoTime() + "-" + UUID.randomUUID() + ".json"), raw);
        List<String> failures = new ArrayList<>();
        String respond = null;
        for (SQSEvent.SQSMessage m : event.getRecords()) {
            String body = m.getBody();
            if (body.startsWith("sleep:")) {
                try {
                    Thread.sleep(Long.parseLong(body.substring(6).trim()));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            } else if (body.startsWith("native:")) {
                var kept = java.lang.foreign.Arena.global().allocate(Long.parseLong(body.substring(7).trim()) << 20, 4096);
                for (long off = 0; off < kept.byteSize(); off += 4096) {
                    kept.set(java.lang.foreign.ValueLayout.JAVA_BYTE, off, (byte) 1);
                }
                try {
                    Thread.sleep(10_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            } else if (body.startsWith("exit:")) {
                Runtime.getRuntime().halt(Integer.parseInt(body.substring(5).trim()));
            } else if (body.equals("throw")) {
                throw new IllegalStateException("scripted failure of the whole batch");
            } else if (body.equals("fail")) {
                failures.add(m.getMessageId());
            } else if (body.startsWith("respond:")) {
                respond = body.substring(8);
            }
        }
        if (respond == null) {
            StringBuilder sb = new StringBuilder("{\"batchItemFailures\":[");
            for (int i = 0; i < failures.size(); i++) {
                sb.append(i == 0 ? "" : ",").append("{\"itemIdentifier\":\"").append(failures.get(i)).append("\"}");
            }
            respond = sb.append("]}").toString();
        }
        output.write(respond.getBytes(StandardCharsets.UTF_8));
    }
}
