package io.photopipe.local.lambda.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** The error documents Lambda returns for failures the function itself does not report. */
public final class LambdaErrors {
    /** Lambda's synchronous invocation payload limit, request and response (6 MB). */
    public static final int MAX_SYNC_PAYLOAD_BYTES = 6 * 1024 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    private LambdaErrors() {
    }

    /** {@code {"errorType":..., "errorMessage":...}} as JSON bytes. */
    public static byte[] document(String errorType, String errorMessage) {
        ObjectNode n = JSON.createObjectNode();
        n.put("errorType", errorType);
        n.put("errorMessage", errorMessage);
        return n.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Lambda's timeout message: "Task timed out after 3.00 seconds". */
    public static byte[] timeout(String requestId, int seconds) {
        return document("Sandbox.Timedout", "RequestId: " + requestId + " Error: Task timed out after "
                + String.format(Locale.ROOT, "%.2f", (double) seconds) + " seconds");
    }

    /**
     * What Lambda reports when the runtime process exits during an invocation: {@code Runtime.ExitError}, or
     * {@code Runtime.OutOfMemory} when the memory limit killed it, with "RequestId: ID Error: Runtime exited with
     * error: signal: killed" (or "exit status N").
     */
    public static byte[] exit(String errorType, String requestId, String description) {
        return document(errorType, "RequestId: " + requestId + " Error: Runtime exited with error: " + description);
    }

    /**
     * An exit status as Lambda's runtime supervisor words it (Go's {@code ProcessState.String()}): a process killed by
     * a signal (Java reports 128 + the signal number) is {@code signal: killed}, {@code signal: terminated}, ...
     */
    public static String exitDescription(int status) {
        if (status > 128 && status < 128 + 32) {
            String name = switch (status - 128) {
                case 9 -> "killed";
                case 15 -> "terminated";
                case 11 -> "segmentation fault";
                case 6 -> "aborted";
                case 7 -> "bus error";
                case 2 -> "interrupt";
                case 1 -> "hangup";
                default -> "signal " + (status - 128);
            };
            return "signal: " + name;
        }
        return "exit status " + status;
    }

    /** The errorType field of an error document, or the fallback when it has none or is not JSON. */
    public static String errorTypeOf(byte[] document, String fallback) {
        try {
            JsonNode n = JSON.readTree(document);
            if (n != null && n.hasNonNull("errorType") && !n.get("errorType").asText().isBlank()) {
                return n.get("errorType").asText();
            }
        } catch (Exception e) {
            // not JSON: keep the fallback
        }
        return fallback == null || fallback.isBlank() ? "Unhandled" : fallback;
    }
}
