package io.photopipe.worker.aws;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.photopipe.worker.WorkerConfig;
import io.photopipe.worker.ports.PortException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.nio.channels.ClosedByInterruptException;
import java.time.Duration;
import java.util.Set;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Runs calls of one kind (S3 reads, S3 writes, SQS) through a resilience4j {@link Retry} (exponential backoff with
 * jitter, bounded attempts) around a {@link CircuitBreaker}, and turns what is left of a failure into a
 * {@link PortException}.
 *
 * <p>The SDK's own retries are switched off on these clients ({@link AwsClients}), so every attempt is seen by the
 * breaker and the backoff is ours alone (retrying at two levels multiplies attempts: 3 x 3 = 9 under an outage).
 *
 * <p><b>The breaker measures the service, not us.</b> It records as failures only real failures of the service:
 * 5xx and throttling answers, the SDK's attempt timeouts, and transport failures (connection refused or reset, a
 * response cut short). Any other answer (404, 412, 403) is a success for the breaker. Calls <em>we</em> stopped are
 * ignored, neither success nor failure ({@link #isOurOwnStop}): a photo abandoned at the deadline, or work ended by
 * an interrupt, aborts its SDK calls with {@code AbortedException} or an {@code InterruptedIOException}, and those
 * once made one failed rendition PUT count as seven failures (its cancelled siblings), opening the breaker at a
 * fault rate far below its threshold (issue 10). While the breaker is open, calls fail at once with
 * {@link PortException#CIRCUIT_OPEN}.
 *
 * <p>Figures: a count-based window of the last {@value #WINDOW} attempts, evaluated once {@value #MINIMUM_CALLS}
 * were made, opens at a {@value #FAILURE_RATE_THRESHOLD} % failure rate, stays open for
 * {@code PHOTOPIPE_CIRCUIT_OPEN_SECONDS} (default 30 s), then lets {@value #HALF_OPEN_CALLS} probe calls through. A
 * window of 100 keeps a steady 16-25 % transient fault rate far from opening it by chance (at 25 %, 50 of 100 is
 * 5.8 standard deviations above the mean), while a real outage (every attempt failing) opens it after 40 attempts.
 */
public final class CallGuard {

    /** Attempts in the breaker's sliding window. */
    public static final int WINDOW = 100;
    /** Attempts before the failure rate is evaluated at all. */
    public static final int MINIMUM_CALLS = 40;
    /** Failure rate, in percent, that opens the breaker. */
    public static final int FAILURE_RATE_THRESHOLD = 50;
    /** Probe calls let through when half-open. */
    public static final int HALF_OPEN_CALLS = 3;

    private static final Set<Integer> TRANSIENT_STATUS = Set.of(408, 429, 500, 502, 503, 504);

    private final String service;
    private final String unavailableCode;
    private final Retry retry;
    private final CircuitBreaker breaker;

    public CallGuard(String service, String unavailableCode, Retry retry, CircuitBreaker breaker) {
        this.service = service;
        this.unavailableCode = unavailableCode;
        this.retry = retry;
        this.breaker = breaker;
    }

    /** A guard named {@code service} with the retry and breaker settings of the worker's configuration. */
    public static CallGuard of(String service, String unavailableCode, WorkerConfig.Resilience r) {
        Duration initial = r.initialBackoff();
        RetryConfig retryConfig = RetryConfig.custom()
                .maxAttempts(r.attempts())
                .intervalFunction(IntervalFunction.ofExponentialRandomBackoff(initial, 2.0, 0.5,
                        initial.multipliedBy(16)))
                .retryOnException(CallGuard::isFailure)
                .build();
        CircuitBreakerConfig breakerConfig = CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(WINDOW)
                .minimumNumberOfCalls(MINIMUM_CALLS)
                .failureRateThreshold(FAILURE_RATE_THRESHOLD)
                .waitDurationInOpenState(r.circuitOpen())
                .permittedNumberOfCallsInHalfOpenState(HALF_OPEN_CALLS)
                .recordException(CallGuard::isFailure)
                .ignoreException(CallGuard::isOurOwnStop)
                .build();
        return new CallGuard(service, unavailableCode, Retry.of(service, retryConfig),
                CircuitBreaker.of(service, breakerConfig));
    }

    /** The breaker, for metrics and tests. */
    public CircuitBreaker breaker() {
        return breaker;
    }

    /**
     * Runs {@code call}; {@code what} describes it for the error message (e.g. "GET photos/uploads/a.jpg").
     *
     * @throws PortException when it still fails after the retries, the breaker is open, or we stopped it
     */
    public <T> T call(String what, Supplier<T> call) {
        Supplier<T> guarded = Retry.decorateSupplier(retry, CircuitBreaker.decorateSupplier(breaker, call));
        try {
            return guarded.get();
        } catch (CallNotPermittedException e) {
            throw new PortException(PortException.CIRCUIT_OPEN, service + " circuit breaker is open after repeated "
                    + "failures; not trying " + what + " (fails fast until it half-opens)", e);
        } catch (SdkException e) {
            if (isOurOwnStop(e)) {
                throw new PortException(PortException.CANCELLED, what + " was stopped by the worker (interrupted)", e);
            }
            boolean failure = isFailure(e);
            String code = failure ? unavailableCode : PortException.REFUSED;
            throw new PortException(code, what + " failed" + (failure ? " after " + attempts() + " attempts"
                    : "") + ": " + describe(e), e);
        }
    }

    /** A void call. */
    public void run(String what, Runnable call) {
        call(what, () -> {
            call.run();
            return null;
        });
    }

    private int attempts() {
        return retry.getRetryConfig().getMaxAttempts();
    }

    /**
     * Whether a failure is the service's and may go away by itself: 5xx and throttling answers, the SDK's attempt
     * and call timeouts, connection problems and responses cut short. Never one of {@link #isOurOwnStop}.
     */
    public static boolean isFailure(Throwable t) {
        if (isOurOwnStop(t)) {
            return false;
        }
        if (t instanceof AwsServiceException e) {
            return TRANSIENT_STATUS.contains(e.statusCode()) || e.isThrottlingException();
        }
        // Timeouts, connection refused/reset, incomplete bodies: the client never got a proper answer.
        return t instanceof SdkClientException;
    }

    /**
     * Whether the call ended because we stopped it, not because of the service: the SDK's {@link AbortedException}
     * (an interrupted call), or an interrupt anywhere in the cause chain ({@link InterruptedException}, a bare
     * {@link InterruptedIOException}, {@link ClosedByInterruptException}). The SDK's own timeouts
     * ({@link ApiCallAttemptTimeoutException}, {@link ApiCallTimeoutException}) interrupt too, but they are S3 being
     * slow, so they are failures; socket and connect timeouts (subclasses of {@code InterruptedIOException}) are
     * transport failures. A call that fails while the calling thread's interrupt flag is set was stopped by us too
     * (the HTTP client then reports a cancelled request in its own words).
     */
    public static boolean isOurOwnStop(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof ApiCallAttemptTimeoutException || c instanceof ApiCallTimeoutException
                    || c instanceof SocketTimeoutException) {
                return false;
            }
        }
        if (Thread.currentThread().isInterrupted()) {
            return true;
        }
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof AbortedException || c instanceof InterruptedException
                    || c instanceof ClosedByInterruptException || c.getClass() == InterruptedIOException.class) {
                return true;
            }
        }
        return false;
    }

    private static String describe(SdkException e) {
        if (e instanceof AwsServiceException s && s.awsErrorDetails() != null) {
            return s.statusCode() + " " + s.awsErrorDetails().errorCode() + " (" + s.awsErrorDetails().errorMessage()
                    + ")";
        }
        return e.getMessage();
    }
}
