package io.photopipe.core;

import java.util.Optional;

/**
 * Reason codes that the worker, the producer's {@code dlq} commands, the API and ledgers share. A reason code is
 * lowercase words joined by '-', optionally followed by {@code ':'} and the code of the last cause:
 * <pre>code = word *("-" word) [":" code]</pre>
 * for example {@code not-an-image}, {@code crashed-during-render}, {@code retries-exhausted:s3-unavailable}. The part
 * before the first ':' is the code's {@link #family}; {@code --reason retries-exhausted} matches the whole family.
 * The photo-level codes of the image engine ({@code corrupt}, {@code too-many-pixels}, ...) are documented with it.
 */
public final class ReasonCodes {
    /** Every delivery failed transiently; on the last one the worker moved it to the DLQ. Followed by the last cause. */
    public static final String RETRIES_EXHAUSTED = "retries-exhausted";
    /** An attempt started (recorded before the download) and never ended: the environment died (OOM kill, crash). */
    public static final String CRASHED_DURING_RENDER = "crashed-during-render";
    /** The render was still running at the invocation's deadline (it was abandoned there). */
    public static final String TIMED_OUT = "timed-out";
    /** The key cannot be mapped safely into the output prefix (dot segments, control characters, too long, ...). */
    public static final String UNSAFE_KEY = "unsafe-key";
    /** The JVM ran out of memory on this photo: a transient retry (another environment has more room), never corrupt. */
    public static final String OUT_OF_MEMORY = "out-of-memory";
    /**
     * The environment had to be replaced (abandoned work was still running), so this delivery was not processed:
     * a transient retry.
     */
    public static final String ENVIRONMENT_RECYCLED = "environment-recycled";

    private ReasonCodes() {
    }

    /** {@code retries-exhausted:<lastCause>}, e.g. {@code retries-exhausted:s3-unavailable}. */
    public static String retriesExhausted(String lastCause) {
        return RETRIES_EXHAUSTED + ":" + family(lastCause);
    }

    /** The part before the first ':' ({@code retries-exhausted} for {@code retries-exhausted:s3-unavailable}). */
    public static String family(String code) {
        int colon = code.indexOf(':');
        return colon < 0 ? code : code.substring(0, colon);
    }

    /** The cause after the first ':', if any ({@code s3-unavailable} for {@code retries-exhausted:s3-unavailable}). */
    public static Optional<String> lastCause(String code) {
        int colon = code.indexOf(':');
        return colon < 0 ? Optional.empty() : Optional.of(code.substring(colon + 1));
    }

    /** Whether {@code code} is {@code filter} or belongs to the family {@code filter} (a filter without ':'). */
    public static boolean matches(String code, String filter) {
        return code.equals(filter) || (filter.indexOf(':') < 0 && code.startsWith(filter + ":"));
    }
}
