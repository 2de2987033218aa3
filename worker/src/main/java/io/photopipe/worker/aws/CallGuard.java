package io.photopipe.worker.aws;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.photopipe.worker.WorkerConfig;
import io.photopipe.worker.ports.PortException;
import java.time.Duration;
import java.util.Set;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Runs calls to one AWS service through a resilience4j {@link Retry} (exponential backoff with jitter, bounded
 * attempts) around a {@link CircuitBreaker}, and turns what is left of a failure into a {@link PortException}.
 *
 * <p>The SDK's own retries are switched off on these clients ({@link AwsClients}), so every attempt is seen by the
 * breaker and the backoff is ours alone (retrying at two levels multiplies attempts: 3 x 3 = 9 under an outage).
 * Only transient failures (5xx, throttling, timeouts, connection errors) are retried and counted by the breaker; a
 * 404 or 412 is an answer, not a failure. While the breaker is open, calls fail at once with
 * {@link PortException#CIRCUIT_OPEN}: an S3 outage costs a batch milliseconds, not retries times timeouts.
 */
public final class CallGuard {

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

    /** A guard for {@code service} with the retry and breaker settings of the worker's configuration. */
    public static CallGuard of(String service, String unavailableCode, WorkerConfig.Resilience r) {
        Duration initial = r.initialBackoff();
        RetryConfig retryConfig = RetryConfig.custom()
                .maxAttempts(r.attempts())
                .intervalFunction(IntervalFunction.ofExponentialRandomBackoff(initial, 2.0, 0.5,
                        initial.multipliedBy(16)))
                .retryOnException(CallGuard::isTransient)
                .build();
        CircuitBreakerConfig breakerConfig = CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(20)
                .minimumNumberOfCalls(10)
                .failureRateThreshold(50)
                .waitDurationInOpenState(r.circuitOpen())
                .permittedNumberOfCallsInHalfOpenState(3)
                .recordException(CallGuard::isTransient)
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
     * @throws PortException when it still fails after the retries, or the breaker is open
     */
    public <T> T call(String what, Supplier<T> call) {
        Supplier<T> guarded = Retry.decorateSupplier(retry, CircuitBreaker.decorateSupplier(breaker, call));
        try {
            return guarded.get();
        } catch (CallNotPermittedException e) {
            throw new PortException(PortException.CIRCUIT_OPEN, service + " circuit breaker is open after repeated "
                    + "failures; not trying " + what + " (fails fast until it half-opens)", e);
        } catch (SdkException e) {
            String code = isTransient(e) ? unavailableCode : PortException.REFUSED;
            throw new PortException(code, what + " failed" + (isTransient(e) ? " after " + attempts() + " attempts"
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

    /** Whether a failure may go away by itself: throttling, 5xx, timeouts and connection problems. */
    public static boolean isTransient(Throwable t) {
        if (t instanceof AwsServiceException e) {
            return TRANSIENT_STATUS.contains(e.statusCode()) || e.isThrottlingException();
        }
        // Timeouts, connection refused/reset, incomplete bodies: the client never got a proper answer.
        return t instanceof SdkClientException;
    }

    private static String describe(SdkException e) {
        if (e instanceof AwsServiceException s && s.awsErrorDetails() != null) {
            return s.statusCode() + " " + s.awsErrorDetails().errorCode() + " (" + s.awsErrorDetails().errorMessage()
                    + ")";
        }
        return e.getMessage();
    }
}
