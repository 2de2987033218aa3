package io.photopipe.worker;

import io.photopipe.core.FunctionEnv;
import io.photopipe.core.PipelineSettings;
import io.photopipe.core.Rendition;
import io.photopipe.core.SettingsException;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Everything the worker is configured with, read once from environment variables and validated in one place.
 * Errors are {@link SettingsException}s that name the variable, the bad value and what is allowed.
 *
 * <p>The pipeline part ({@link FunctionEnv}'s variables) is set by the CDK app and the local runtime from
 * {@link PipelineSettings}; the tuning variables below have defaults fit for the default function settings.
 *
 * @param settings   the pipeline: bucket, prefixes, renditions, limits, background (from {@link FunctionEnv})
 * @param dlqUrl     {@value FunctionEnv#DLQ_URL}: where permanent failures are copied (required)
 * @param resultsUrl {@value FunctionEnv#RESULTS_QUEUE_URL}: where final statuses are published; empty for none
 * @param processing concurrency, deadline margins, output caching
 * @param resilience in-call retries, circuit breaker, visibility backoff
 * @param metrics    where metrics go
 * @param aws        region and endpoint overrides
 * @param environment this execution environment's name in attempt records: {@value #AWS_LAMBDA_LOG_STREAM_NAME}
 *                   (one log stream per environment, so the record points at its logs), else a generated one
 */
public record WorkerConfig(PipelineSettings settings, String dlqUrl, Optional<String> resultsUrl,
                           Processing processing, Resilience resilience, Metrics metrics, Aws aws,
                           String environment) {

    public static final String CONCURRENCY = "PHOTOPIPE_CONCURRENCY";
    public static final String SAFETY_MARGIN_MS = "PHOTOPIPE_SAFETY_MARGIN_MS";
    public static final String FINISH_MARGIN_MS = "PHOTOPIPE_FINISH_MARGIN_MS";
    public static final String CACHE_CONTROL = "PHOTOPIPE_CACHE_CONTROL";
    public static final String ABANDONED_GRACE_MS = "PHOTOPIPE_ABANDONED_GRACE_MS";
    public static final String RETRY_ATTEMPTS = "PHOTOPIPE_RETRY_ATTEMPTS";
    public static final String RETRY_INITIAL_MS = "PHOTOPIPE_RETRY_INITIAL_MS";
    public static final String CIRCUIT_OPEN_SECONDS = "PHOTOPIPE_CIRCUIT_OPEN_SECONDS";
    public static final String S3_TIMEOUT_MS = "PHOTOPIPE_S3_TIMEOUT_MS";
    public static final String VISIBILITY_BACKOFF_SECONDS = "PHOTOPIPE_VISIBILITY_BACKOFF_SECONDS";
    public static final String VISIBILITY_BACKOFF_MAX_SECONDS = "PHOTOPIPE_VISIBILITY_BACKOFF_MAX_SECONDS";
    public static final String METRICS = "PHOTOPIPE_METRICS";
    public static final String METRICS_NAMESPACE = "PHOTOPIPE_METRICS_NAMESPACE";
    public static final String METRICS_STEP_SECONDS = "PHOTOPIPE_METRICS_STEP_SECONDS";
    public static final String AWS_REGION = "AWS_REGION";
    public static final String AWS_ENDPOINT_URL = "AWS_ENDPOINT_URL";
    public static final String AWS_ENDPOINT_URL_S3 = "AWS_ENDPOINT_URL_S3";
    public static final String AWS_ENDPOINT_URL_SQS = "AWS_ENDPOINT_URL_SQS";
    public static final String AWS_LAMBDA_FUNCTION_NAME = "AWS_LAMBDA_FUNCTION_NAME";
    public static final String AWS_LAMBDA_LOG_STREAM_NAME = "AWS_LAMBDA_LOG_STREAM_NAME";

    /**
     * @param concurrency  photos processed at once ({@value #CONCURRENCY}, 1-64, default 4)
     * @param safetyMargin no photo starts with less than this left ({@value #SAFETY_MARGIN_MS}, default 10000: a
     *                     large photo's p99 plus its uploads)
     * @param finishMargin kept at the end for DLQ moves and the answer ({@value #FINISH_MARGIN_MS}, default 2000)
     * @param cacheControl Cache-Control of renditions ({@value #CACHE_CONTROL}, default {@code public, max-age=300})
     * @param abandonedGrace how long an invocation waits for renders abandoned at an earlier deadline to finish
     *                     before it recycles the environment ({@value #ABANDONED_GRACE_MS}, 0-60000, default 2000)
     * @param maxReceiveCount the upload queue's {@code maxReceiveCount} ({@value FunctionEnv#MAX_RECEIVE_COUNT},
     *                     1-1000, default that of the pipeline defaults, 5): the last delivery of a message
     */
    public record Processing(int concurrency, Duration safetyMargin, Duration finishMargin, String cacheControl,
                             Duration abandonedGrace, int maxReceiveCount) {
    }

    /**
     * @param attempts           in-call attempts per S3/SQS call ({@value #RETRY_ATTEMPTS}, 1-10, default 3)
     * @param initialBackoff     first wait between attempts, doubled each time with jitter
     *                           ({@value #RETRY_INITIAL_MS}, default 200)
     * @param circuitOpen        how long an open breaker fails fast before trying again
     *                           ({@value #CIRCUIT_OPEN_SECONDS}, default 30)
     * @param s3AttemptTimeout   one S3 attempt's time limit ({@value #S3_TIMEOUT_MS}, default 30000)
     * @param visibilityBackoff  a failed message's visibility on first receive, doubling per receive
     *                           ({@value #VISIBILITY_BACKOFF_SECONDS}, default 30)
     * @param visibilityMax      the longest of those ({@value #VISIBILITY_BACKOFF_MAX_SECONDS}, default 900)
     */
    public record Resilience(int attempts, Duration initialBackoff, Duration circuitOpen, Duration s3AttemptTimeout,
                             Duration visibilityBackoff, Duration visibilityMax) {
    }

    /** Where metrics go ({@value #METRICS}). */
    public enum MetricsMode {
        /** Micrometer's CloudWatch registry, publishing in the background every step. */
        CLOUDWATCH,
        /** A summary on standard error every step (local runs). */
        LOG,
        /** Kept in memory only. */
        NONE
    }

    /**
     * @param mode      {@value #METRICS}: cloudwatch, log or none; default cloudwatch in Lambda on AWS (function name
     *                  set, no endpoint override), log elsewhere
     * @param namespace {@value #METRICS_NAMESPACE}, default {@code photopipe}
     * @param step      {@value #METRICS_STEP_SECONDS}, default 60
     */
    public record Metrics(MetricsMode mode, String namespace, Duration step, String functionName) {
    }

    /**
     * @param region      {@value #AWS_REGION} (Lambda sets it), default us-east-1
     * @param s3Endpoint  {@value #AWS_ENDPOINT_URL_S3} or {@value #AWS_ENDPOINT_URL}: a local S3 (path-style is used)
     * @param sqsEndpoint {@value #AWS_ENDPOINT_URL_SQS} or {@value #AWS_ENDPOINT_URL}
     */
    public record Aws(String region, Optional<URI> s3Endpoint, Optional<URI> sqsEndpoint) {
    }

    /** Reads and validates the configuration, e.g. {@code fromEnv(System::getenv)} or {@code fromEnv(Map.of(...)::get)}. */
    public static WorkerConfig fromEnv(Function<String, String> env) {
        Reader r = new Reader(env);
        PipelineSettings defaults = PipelineSettings.defaults();
        String bucket = r.required(FunctionEnv.BUCKET);
        List<Rendition> renditions = r.optional(FunctionEnv.RENDITIONS)
                .map(json -> r.wrap(FunctionEnv.RENDITIONS, () -> PipelineSettings.renditionsFromJson(json)))
                .orElse(defaults.renditions());
        long maxBytes = r.longIn(FunctionEnv.MAX_OBJECT_BYTES, defaults.limits().maxObjectBytes(), 1024,
                Long.MAX_VALUE);
        long maxPixels = r.longIn(FunctionEnv.MAX_PIXELS, defaults.limits().maxPixels(), 1, Long.MAX_VALUE);
        int maxSamples = (int) r.longIn(FunctionEnv.MAX_SAMPLES_PER_PIXEL, defaults.limits().maxSamplesPerPixel(), 1,
                64);
        double maxAspect = r.number(FunctionEnv.MAX_ASPECT_RATIO, defaults.limits().maxAspectRatio());
        String background = r.optional(FunctionEnv.JPEG_BACKGROUND).orElse(defaults.jpegBackground());
        String inputPrefix = r.optionalAllowEmpty(FunctionEnv.INPUT_PREFIX).orElse(defaults.inputPrefix());
        String outputBucket = r.optional(FunctionEnv.OUTPUT_BUCKET).orElse("");
        String outputPrefix = r.optional(FunctionEnv.OUTPUT_PREFIX).orElse(defaults.outputPrefix());
        PipelineSettings settings = r.wrapSettings(() -> new PipelineSettings(bucket, inputPrefix, outputBucket,
                outputPrefix, defaults.queue(), defaults.worker(), new PipelineSettings.Limits(maxBytes, maxPixels, maxSamples,
                        maxAspect),
                background, renditions, defaults.api()));

        String dlqUrl = r.url(FunctionEnv.DLQ_URL, true).orElseThrow().toString();
        Optional<String> results = r.url(FunctionEnv.RESULTS_QUEUE_URL, false).map(URI::toString);

        Processing processing = new Processing(
                (int) r.longIn(CONCURRENCY, 4, 1, 64),
                Duration.ofMillis(r.longIn(SAFETY_MARGIN_MS, 10_000, 0, 900_000)),
                Duration.ofMillis(r.longIn(FINISH_MARGIN_MS, 2_000, 0, 60_000)),
                r.optional(CACHE_CONTROL).orElse("public, max-age=300"),
                Duration.ofMillis(r.longIn(ABANDONED_GRACE_MS, 2_000, 0, 60_000)),
                // the same range as queue.maxReceiveCount in the settings (and SQS's RedrivePolicy)
                (int) r.longIn(FunctionEnv.MAX_RECEIVE_COUNT, defaults.queue().maxReceiveCount(), 1, 1000));
        Resilience resilience = new Resilience(
                (int) r.longIn(RETRY_ATTEMPTS, 3, 1, 10),
                Duration.ofMillis(r.longIn(RETRY_INITIAL_MS, 200, 1, 10_000)),
                Duration.ofSeconds(r.longIn(CIRCUIT_OPEN_SECONDS, 30, 1, 3_600)),
                Duration.ofMillis(r.longIn(S3_TIMEOUT_MS, 30_000, 100, 900_000)),
                Duration.ofSeconds(r.longIn(VISIBILITY_BACKOFF_SECONDS, 30, 0, 43_200)),
                Duration.ofSeconds(r.longIn(VISIBILITY_BACKOFF_MAX_SECONDS, 900, 0, 43_200)));
        if (resilience.visibilityMax().compareTo(resilience.visibilityBackoff()) < 0) {
            throw new SettingsException(VISIBILITY_BACKOFF_MAX_SECONDS, "'" + resilience.visibilityMax().toSeconds()
                    + "' is less than " + VISIBILITY_BACKOFF_SECONDS + " ("
                    + resilience.visibilityBackoff().toSeconds() + "); allowed: at least that, at most 43200");
        }

        Optional<URI> common = r.url(AWS_ENDPOINT_URL, false);
        Optional<URI> s3 = r.url(AWS_ENDPOINT_URL_S3, false).or(() -> common);
        Optional<URI> sqs = r.url(AWS_ENDPOINT_URL_SQS, false).or(() -> common);
        String region = r.optional(AWS_REGION).or(() -> r.optional("AWS_DEFAULT_REGION")).orElse("us-east-1");
        if (!region.matches("[a-z]{2}(-[a-z]+)+-\\d+|local")) {
            throw new SettingsException(AWS_REGION, "'" + region + "' is not a region name; allowed: names like "
                    + "us-east-1 or eu-west-3");
        }

        Optional<String> functionName = r.optional(AWS_LAMBDA_FUNCTION_NAME);
        MetricsMode defaultMode = functionName.isPresent() && s3.isEmpty() && sqs.isEmpty()
                ? MetricsMode.CLOUDWATCH : MetricsMode.LOG;
        MetricsMode mode = r.choice(METRICS, MetricsMode.class, defaultMode);
        Metrics metrics = new Metrics(mode, r.optional(METRICS_NAMESPACE).orElse("photopipe"),
                Duration.ofSeconds(r.longIn(METRICS_STEP_SECONDS, 60, 1, 3_600)), functionName.orElse("local"));

        String environment = r.optional(AWS_LAMBDA_LOG_STREAM_NAME)
                .orElseGet(() -> "local-" + ProcessHandle.current().pid() + "-" + java.util.UUID.randomUUID()
                        .toString().substring(0, 8));
        return new WorkerConfig(settings, dlqUrl, results, processing, resilience, metrics,
                new Aws(region, s3, sqs), environment);
    }

    /** Reads variables and turns problems into messages naming them. */
    private record Reader(Function<String, String> env) {

        Optional<String> optional(String name) {
            String v = env.apply(name);
            return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.strip());
        }

        /** Like {@link #optional} but an empty value is a value (an empty input prefix means the whole bucket). */
        Optional<String> optionalAllowEmpty(String name) {
            return Optional.ofNullable(env.apply(name)).map(String::strip);
        }

        String required(String name) {
            return optional(name).orElseThrow(() -> new SettingsException(name, "is not set; it is required "
                    + "(the local runtime and the CDK app set it from the pipeline settings)"));
        }

        /** A decimal number; its range is checked where the setting is built (the error then names this variable). */
        double number(String name, double def) {
            Optional<String> v = optional(name);
            try {
                return v.isEmpty() ? def : Double.parseDouble(v.get());
            } catch (NumberFormatException e) {
                throw new SettingsException(name, "'" + v.get() + "' is not a number");
            }
        }

        long longIn(String name, long def, long min, long max) {
            Optional<String> v = optional(name);
            if (v.isEmpty()) {
                return def;
            }
            long n;
            try {
                n = Long.parseLong(v.get());
            } catch (NumberFormatException e) {
                throw new SettingsException(name, "'" + v.get() + "' is not a whole number; allowed: " + range(min,
                        max));
            }
            if (n < min || n > max) {
                throw new SettingsException(name, "'" + n + "' is out of range; allowed: " + range(min, max));
            }
            return n;
        }

        private static String range(long min, long max) {
            return max == Long.MAX_VALUE ? min + " or more" : min + " to " + max;
        }

        Optional<URI> url(String name, boolean required) {
            Optional<String> v = required ? Optional.of(required(name)) : optional(name);
            return v.map(s -> {
                try {
                    URI u = URI.create(s);
                    if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null) {
                        throw new IllegalArgumentException("not http(s)");
                    }
                    return u;
                } catch (IllegalArgumentException e) {
                    throw new SettingsException(name, "'" + s + "' is not a URL; allowed: an http:// or https:// URL");
                }
            });
        }

        <E extends Enum<E>> E choice(String name, Class<E> type, E def) {
            Optional<String> v = optional(name);
            if (v.isEmpty()) {
                return def;
            }
            try {
                return Enum.valueOf(type, v.get().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new SettingsException(name, "'" + v.get() + "' is not allowed; allowed: "
                        + Arrays.stream(type.getEnumConstants()).map(c -> c.name().toLowerCase(Locale.ROOT))
                        .collect(Collectors.joining(", ")));
            }
        }

        <T> T wrap(String name, java.util.function.Supplier<T> parse) {
            try {
                return parse.get();
            } catch (SettingsException e) {
                throw new SettingsException(name, e.getMessage(), e);
            }
        }

        /** Settings errors name a settings field; say which variable carried it. */
        PipelineSettings wrapSettings(java.util.function.Supplier<PipelineSettings> build) {
            try {
                return build.get();
            } catch (SettingsException e) {
                throw new SettingsException(variableOf(e.setting()), e.getMessage(), e);
            }
        }

        private static String variableOf(String setting) {
            return switch (setting) {
                case "bucket" -> FunctionEnv.BUCKET;
                case "inputPrefix" -> FunctionEnv.INPUT_PREFIX;
                case "outputBucket" -> FunctionEnv.OUTPUT_BUCKET;
                case "outputPrefix" -> FunctionEnv.OUTPUT_PREFIX;
                case "jpegBackground" -> FunctionEnv.JPEG_BACKGROUND;
                case "limits.maxObjectBytes" -> FunctionEnv.MAX_OBJECT_BYTES;
                case "limits.maxPixels" -> FunctionEnv.MAX_PIXELS;
                case "limits.maxSamplesPerPixel" -> FunctionEnv.MAX_SAMPLES_PER_PIXEL;
                case "limits.maxAspectRatio" -> FunctionEnv.MAX_ASPECT_RATIO;
                default -> setting.startsWith("renditions") ? FunctionEnv.RENDITIONS : setting;
            };
        }
    }
}
