package io.photopipe.local.esm;

import io.photopipe.core.PipelineSettings;
import java.util.List;

/**
 * An SQS event source mapping, validated as {@code CreateEventSourceMapping} validates it.
 *
 * @param functionName                 the function invoked with each batch
 * @param queueUrl                     the queue polled
 * @param queueArn                     its ARN ({@code eventSourceARN} of each record)
 * @param batchSize                    1 to 10,000; above 10 needs a batching window of at least 1 s
 * @param maximumBatchingWindowSeconds 0 to 300
 * @param maximumConcurrency           2 to 1,000 concurrent invocations (at most this many pollers)
 * @param reportBatchItemFailures      {@code FunctionResponseTypes: ["ReportBatchItemFailures"]}
 * @param filterPatterns               FilterCriteria patterns (JSON, e.g. {@code {"body":{"kind":["photo"]}}}); a
 *                                     message matching none is deleted without invoking; empty: no filtering
 * @param scaling                      the poller ramp
 * @see <a href="https://docs.aws.amazon.com/lambda/latest/api/API_CreateEventSourceMapping.html">CreateEventSourceMapping</a>
 */
public record EsmConfig(String functionName, String queueUrl, String queueArn, int batchSize,
                        int maximumBatchingWindowSeconds, int maximumConcurrency, boolean reportBatchItemFailures,
                        List<String> filterPatterns, ScalingPolicy scaling) {

    public EsmConfig {
        require(functionName != null && !functionName.isBlank(), "FunctionName", "is required");
        require(queueUrl != null && !queueUrl.isBlank(), "queueUrl", "is required");
        require(queueArn != null && queueArn.startsWith("arn:"), "EventSourceArn",
                "'" + queueArn + "' must be the queue's ARN (arn:aws:sqs:REGION:ACCOUNT:NAME)");
        require(batchSize >= 1 && batchSize <= 10_000, "BatchSize", batchSize + " must be from 1 to 10000");
        require(maximumBatchingWindowSeconds >= 0 && maximumBatchingWindowSeconds <= 300,
                "MaximumBatchingWindowInSeconds", maximumBatchingWindowSeconds + " must be from 0 to 300");
        // https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-parameters.html: "If you set BatchSize to a
        // value greater than 10, you must set MaximumBatchingWindowInSeconds to at least 1 second."
        require(batchSize <= 10 || maximumBatchingWindowSeconds >= 1, "MaximumBatchingWindowInSeconds",
                "a BatchSize above 10 (" + batchSize + ") needs a batching window of at least 1 second");
        require(maximumConcurrency >= 2 && maximumConcurrency <= 1000, "ScalingConfig.MaximumConcurrency",
                maximumConcurrency + " must be from 2 to 1000");
        filterPatterns = filterPatterns == null ? List.of() : List.copyOf(filterPatterns);
        filterPatterns.forEach(io.photopipe.local.esm.internal.FilterPattern::parse); // throws naming FilterCriteria
        // FilterCriteria allows 5 filters per event source mapping by default (a quota that can be raised)
        require(filterPatterns.size() <= 10, "FilterCriteria", filterPatterns.size() + " patterns; at most 10");
        scaling = scaling == null ? ScalingPolicy.aws() : scaling;
    }

    /** The worker's mapping as the pipeline settings describe it (ReportBatchItemFailures on, no filter). */
    public static EsmConfig of(PipelineSettings s, String queueUrl, String queueArn, String functionName) {
        return new EsmConfig(functionName, queueUrl, queueArn, s.worker().batchSize(),
                s.worker().batchingWindowSeconds(), s.worker().maxConcurrency(), true, List.of(), ScalingPolicy.aws());
    }

    public EsmConfig withScaling(ScalingPolicy p) {
        return new EsmConfig(functionName, queueUrl, queueArn, batchSize, maximumBatchingWindowSeconds,
                maximumConcurrency, reportBatchItemFailures, filterPatterns, p);
    }

    public EsmConfig withFilterPatterns(List<String> patterns) {
        return new EsmConfig(functionName, queueUrl, queueArn, batchSize, maximumBatchingWindowSeconds,
                maximumConcurrency, reportBatchItemFailures, patterns, scaling);
    }

    private static void require(boolean ok, String field, String message) {
        if (!ok) {
            throw new IllegalArgumentException(field + ": " + message);
        }
    }
}
