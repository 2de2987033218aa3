package io.photopipe.worker.ports;

/**
 * A storage or queue operation failed after its in-call retries, or was refused because the circuit breaker is
 * open. It is never the photo's fault, so the message is retried later (reported in {@code batchItemFailures}),
 * never moved to the DLQ.
 */
public final class PortException extends RuntimeException {

    /** S3 kept failing (5xx, throttling, timeouts, connection errors). */
    public static final String S3_UNAVAILABLE = "s3-unavailable";
    /** SQS kept failing. */
    public static final String SQS_UNAVAILABLE = "sqs-unavailable";
    /** A circuit breaker is open: the call was not even tried. */
    public static final String CIRCUIT_OPEN = "circuit-open";
    /** The service refused the request for a reason that is not transient (e.g. 403 AccessDenied). */
    public static final String REFUSED = "aws-refused";
    /**
     * We stopped the call ourselves (the photo was abandoned at the deadline, or a sibling's failure ended the
     * work): not a failure of the service, so circuit breakers ignore it.
     */
    public static final String CANCELLED = "cancelled";

    private final String code;

    public PortException(String code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    /**
     * A stable reason code: {@link #S3_UNAVAILABLE}, {@link #SQS_UNAVAILABLE}, {@link #CIRCUIT_OPEN}, {@link #REFUSED},
     * {@link #CANCELLED}.
     */
    public String code() {
        return code;
    }
}
