package io.photopipe.local.testfn;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Test function: echoes its input with what the runtime told it. {"sleepMs": n} sleeps first, {"exit": n} halts the
 * JVM, {"throw": "msg"} throws, {"allocNativeMb": n} touches n MB of native memory (outside the heap, as image
 * codecs do) and keeps it.
 */
public class EchoHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    private static final long PID = ProcessHandle.current().pid();
    private static int calls;

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> input, Context context) {
        calls++;
        if (input.get("sleepMs") instanceof Number n) {
            try {
                Thread.sleep(n.longValue());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (input.get("allocNativeMb") instanceof Number n) {
            java.lang.foreign.MemorySegment kept = java.lang.foreign.Arena.global().allocate(n.longValue() << 20, 4096);
            for (long off = 0; off < kept.byteSize(); off += 4096) {
                kept.set(java.lang.foreign.ValueLayout.JAVA_BYTE, off, (byte) 1); // resident only once touched
            }
            System.out.println("touched " + n + " MB of native memory");
            try {
                Thread.sleep(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (input.get("exit") instanceof Number n) {
            System.out.println("about to exit with " + n);
            Runtime.getRuntime().halt(n.intValue());
        }
        if (input.get("throw") instanceof String msg) {
            throw new IllegalStateException(msg);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("input", input);
        out.put("requestId", context.getAwsRequestId());
        out.put("functionArn", context.getInvokedFunctionArn());
        out.put("functionName", context.getFunctionName());
        out.put("memoryLimitInMB", context.getMemoryLimitInMB());
        out.put("remainingMs", context.getRemainingTimeInMillis());
        out.put("pid", PID);
        out.put("calls", calls);
        out.put("maxHeapMb", Runtime.getRuntime().maxMemory() / (1024 * 1024));
        out.put("cpus", Runtime.getRuntime().availableProcessors());
        out.put("jvmArgs", String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()));
        Map<String, String> env = new LinkedHashMap<>();
        for (String k : new String[] {"AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
                "AWS_LAMBDA_FUNCTION_VERSION", "AWS_REGION", "AWS_DEFAULT_REGION", "_HANDLER", "AWS_ACCESS_KEY_ID",
                "AWS_LAMBDA_LOG_GROUP_NAME", "AWS_LAMBDA_RUNTIME_API", "GREETING", "HOME_SECRET_OF_PARENT"}) {
            env.put(k, System.getenv(k));
        }
        out.put("env", env);
        out.put("traceId", System.getProperty("com.amazonaws.xray.traceHeader"));
        System.out.println("echo handled " + context.getAwsRequestId());
        return out;
    }
}
