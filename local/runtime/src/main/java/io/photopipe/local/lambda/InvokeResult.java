package io.photopipe.local.lambda;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * What one invocation returned, shaped like Lambda's {@code Invoke} response.
 *
 * @param functionName  the function invoked
 * @param ok            false when there was a function error ({@code X-Amz-Function-Error}: an exception, a
 *                      timeout, a crashed or failed-to-init environment)
 * @param errorType     the error's type when not ok: the exception class (e.g. {@code java.lang.RuntimeException}),
 *                      {@code Sandbox.Timedout}, {@code Runtime.ExitError}, ...; null when ok
 * @param payload       the response, or the error document ({@code {"errorMessage","errorType",...}}) when not ok
 * @param initDuration  the Init phase of a cold start (JVM launch to the runtime's first {@code /next}); null when warm
 * @param duration      the Invoke phase (event handed to the runtime to its response)
 * @param coldStart     whether a new execution environment was created for it
 * @param timedOut      whether the configured timeout killed it
 * @param requestId     the invocation's request id ({@code Lambda-Runtime-Aws-Request-Id})
 */
public record InvokeResult(String functionName, boolean ok, String errorType, byte[] payload, Duration initDuration,
                           Duration duration, boolean coldStart, boolean timedOut, String requestId) {

    /** The payload as UTF-8 text. */
    public String payloadText() {
        return payload == null ? "" : new String(payload, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "InvokeResult[" + functionName + " " + requestId + (ok ? " ok" : " error " + errorType)
                + (coldStart ? " cold init=" + initDuration : "") + " duration=" + duration
                + (timedOut ? " TIMED OUT" : "") + " payload=" + abbreviate(payloadText()) + "]";
    }

    private static String abbreviate(String s) {
        return s.length() <= 300 ? s : s.substring(0, 300) + "...(" + s.length() + " chars)";
    }
}
