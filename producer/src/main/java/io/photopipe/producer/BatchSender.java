package io.photopipe.producer;

import io.github.resilience4j.core.IntervalFunction;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/**
 * Sends one batch (up to 10 messages) with {@code SendMessageBatch} and re-sends only the entries SQS reports as
 * failed, with exponential backoff and jitter, a bounded number of times. SendMessageBatch can succeed for some
 * entries and fail for others in one call
 * (<a href="https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessageBatch.html">API
 * reference</a>): re-sending the whole batch would duplicate the ones that went through.
 *
 * <p>An entry failed with {@code SenderFault=true} is the caller's fault (invalid body, too large) and is not
 * retried, except throttling. A whole call that fails with a network error, a throttle or a 5xx is retried the same
 * way; any other service error (no such queue, access denied) is thrown, since every later batch would fail too.
 */
public final class BatchSender {
    /** SQS's limit on entries per batch call. */
    public static final int MAX_ENTRIES = 10;
    /** SQS's classic limit on the sum of a batch's payloads (256 KiB); AWS queues now accept up to 1 MiB. */
    public static final long DEFAULT_MAX_BATCH_BYTES = 262_144;

    private static final Set<String> TRANSIENT_SENDER_CODES = Set.of("ThrottlingException", "RequestThrottled",
            "KmsThrottled", "Throttling", "ServiceUnavailable", "InternalError", "InternalFailure");

    private final SendBatchPort port;
    private final int maxAttempts;
    private final IntervalFunction backoff;
    private final long maxBatchBytes;

    /**
     * @param port          where batches go
     * @param maxAttempts   tries per entry (1 = no retry)
     * @param backoff       pause before re-try {@code n} (1-based)
     * @param maxBatchBytes the largest payload one call may carry
     */
    public BatchSender(SendBatchPort port, int maxAttempts, IntervalFunction backoff, long maxBatchBytes) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts " + maxAttempts + " must be at least 1");
        }
        this.port = port;
        this.maxAttempts = maxAttempts;
        this.backoff = backoff;
        this.maxBatchBytes = maxBatchBytes;
    }

    /** 6 attempts, 100 ms doubling with ±50% jitter, the 256 KiB batch limit. */
    public static BatchSender withDefaults(SendBatchPort port) {
        return new BatchSender(port, 6, IntervalFunction.ofExponentialRandomBackoff(100, 2.0, 0.5, 5_000),
                DEFAULT_MAX_BATCH_BYTES);
    }

    /** The payload limit of one call, which callers building batches must respect. */
    public long maxBatchBytes() {
        return maxBatchBytes;
    }

    /**
     * Sends the messages (at most {@value #MAX_ENTRIES}, payloads within {@link #maxBatchBytes()}) to the queue.
     *
     * @throws AwsServiceException for errors no retry can fix (missing queue, access denied)
     */
    public SendResult send(String queueUrl, List<OutgoingMessage> messages) throws InterruptedException {
        if (messages.size() > MAX_ENTRIES) {
            throw new IllegalArgumentException(messages.size() + " messages: a batch holds at most " + MAX_ENTRIES);
        }
        List<String> sent = new ArrayList<>();
        List<SendResult.Failure> failed = new ArrayList<>();
        // Entry ids are positions: SQS allows only [A-Za-z0-9_-]{1,80}, which S3 keys are not.
        Map<String, OutgoingMessage> pending = new LinkedHashMap<>();
        for (int i = 0; i < messages.size(); i++) {
            OutgoingMessage m = messages.get(i);
            if (m.payloadBytes() > maxBatchBytes) {
                failed.add(new SendResult.Failure(m.id(), "MessageTooLarge", "payload of " + m.payloadBytes()
                        + " bytes exceeds the " + maxBatchBytes + "-byte limit", true));
            } else {
                pending.put("m" + i, m);
            }
        }
        int retried = 0;
        Map<String, BatchResultErrorEntry> lastErrors = new HashMap<>();
        RuntimeException lastCallError = null;
        for (int attempt = 1; attempt <= maxAttempts && !pending.isEmpty(); attempt++) {
            if (attempt > 1) {
                retried += pending.size();
                Thread.sleep(backoff.apply(attempt - 1));
            }
            SendMessageBatchResponse response;
            try {
                response = port.sendMessageBatch(SendMessageBatchRequest.builder().queueUrl(queueUrl)
                        .entries(entries(pending)).build());
            } catch (SdkClientException e) {
                lastCallError = e; // network trouble: the SDK already retried; we try the same entries again
                continue;
            } catch (AwsServiceException e) {
                if (e.isThrottlingException() || e.statusCode() >= 500) {
                    lastCallError = e;
                    continue;
                }
                throw e;
            }
            lastCallError = null;
            for (var ok : response.successful()) {
                OutgoingMessage m = pending.remove(ok.id());
                if (m != null) {
                    sent.add(m.id());
                }
            }
            for (var err : response.failed()) {
                OutgoingMessage m = pending.get(err.id());
                if (m == null) {
                    continue;
                }
                boolean permanent = Boolean.TRUE.equals(err.senderFault()) && !TRANSIENT_SENDER_CODES.contains(err.code());
                if (permanent) {
                    pending.remove(err.id());
                    failed.add(new SendResult.Failure(m.id(), err.code(), err.message(), true));
                } else {
                    lastErrors.put(err.id(), err);
                }
            }
        }
        for (var e : pending.entrySet()) {
            BatchResultErrorEntry err = lastErrors.get(e.getKey());
            String why = err != null ? err.code() + ": " + err.message()
                    : lastCallError != null ? lastCallError.getMessage() : "no answer";
            failed.add(new SendResult.Failure(e.getValue().id(), "RetriesExhausted",
                    "still failing after " + maxAttempts + " attempts: " + why, false));
        }
        return new SendResult(sent, failed, retried);
    }

    private static List<SendMessageBatchRequestEntry> entries(Map<String, OutgoingMessage> pending) {
        List<SendMessageBatchRequestEntry> out = new ArrayList<>(pending.size());
        pending.forEach((id, m) -> out.add(SendMessageBatchRequestEntry.builder().id(id).messageBody(m.body())
                .messageAttributes(m.attributes()).build()));
        return out;
    }
}
