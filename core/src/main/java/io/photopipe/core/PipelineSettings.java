package io.photopipe.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The one description of a photopipe deployment, read by the worker (through {@link FunctionEnv}), the API, the
 * producer, the local runtime and the CDK app, so local and AWS cannot drift.
 *
 * <p>Built-in defaults live in {@code pipeline-defaults.json} beside this class; a user's {@code photopipe.json}
 * only needs the fields it changes ({@link #load(Path)} merges it over the defaults).
 *
 * @param bucket         the bucket photos are uploaded to
 * @param inputPrefix    only keys under it are photos to process ("" for the whole bucket, minus the output prefix)
 * @param outputBucket   where renditions go; "" for the input bucket
 * @param outputPrefix   the prefix renditions are written under; never processed as input
 * @param queue          the upload queue, its DLQ and the results queue
 * @param worker         the worker function and its event source mapping
 * @param limits         guards applied before decoding
 * @param jpegBackground {@code #rrggbb} colour transparent pixels are flattened onto for formats without alpha
 * @param renditions     what is made from each photo, in any order; unique names
 * @param api            the upload API
 */
public record PipelineSettings(String bucket, String inputPrefix, String outputBucket, String outputPrefix,
                               Queue queue, Worker worker, Limits limits, String jpegBackground,
                               List<Rendition> renditions, Api api) {

    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    private static final Pattern QUEUE = Pattern.compile("[A-Za-z0-9_-]{1,80}");
    private static final Pattern COLOUR = Pattern.compile("#[0-9a-fA-F]{6}");
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * The queues. AWS's rule for the visibility timeout (at least six times the function timeout plus the batching
     * window) is checked by {@link PipelineSettings}, see
     * <a href="https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html">Configuring a queue to use
     * with Lambda</a>.
     */
    public record Queue(String name, String dlqName, String resultsName, int visibilityTimeoutSeconds,
                        int maxReceiveCount, int retentionSeconds) {
        public Queue {
            SettingsException.require(name != null && QUEUE.matcher(name).matches(), "queue.name",
                    "'" + name + "' must be 1-80 letters, digits, '-' or '_'");
            SettingsException.require(dlqName != null && QUEUE.matcher(dlqName).matches(), "queue.dlqName",
                    "'" + dlqName + "' must be 1-80 letters, digits, '-' or '_'");
            SettingsException.require(resultsName != null && QUEUE.matcher(resultsName).matches(),
                    "queue.resultsName", "'" + resultsName + "' must be 1-80 letters, digits, '-' or '_'");
            SettingsException.require(!name.equals(dlqName), "queue.dlqName", "must differ from queue.name");
            SettingsException.require(visibilityTimeoutSeconds >= 0 && visibilityTimeoutSeconds <= 43_200,
                    "queue.visibilityTimeoutSeconds", visibilityTimeoutSeconds + " must be from 0 to 43200 (12 h)");
            SettingsException.require(maxReceiveCount >= 1 && maxReceiveCount <= 1000, "queue.maxReceiveCount",
                    maxReceiveCount + " must be from 1 to 1000");
            SettingsException.require(retentionSeconds >= 60 && retentionSeconds <= 1_209_600,
                    "queue.retentionSeconds", retentionSeconds + " must be from 60 to 1209600 (14 days)");
        }
    }

    /**
     * The worker function and its SQS event source mapping; ranges from
     * <a href="https://docs.aws.amazon.com/lambda/latest/api/API_CreateEventSourceMapping.html">CreateEventSourceMapping</a>
     * and <a href="https://docs.aws.amazon.com/lambda/latest/dg/configuration-memory.html">memory</a>.
     */
    public record Worker(int memoryMb, int timeoutSeconds, int batchSize, int batchingWindowSeconds,
                         int maxConcurrency, String architecture) {
        public Worker {
            SettingsException.require(memoryMb >= 128 && memoryMb <= 10_240, "worker.memoryMb",
                    memoryMb + " must be from 128 to 10240 (MB)");
            SettingsException.require(timeoutSeconds >= 1 && timeoutSeconds <= 900, "worker.timeoutSeconds",
                    timeoutSeconds + " must be from 1 to 900");
            SettingsException.require(batchSize >= 1 && batchSize <= 10_000, "worker.batchSize",
                    batchSize + " must be from 1 to 10000");
            SettingsException.require(batchingWindowSeconds >= 0 && batchingWindowSeconds <= 300,
                    "worker.batchingWindowSeconds", batchingWindowSeconds + " must be from 0 to 300");
            SettingsException.require(batchSize <= 10 || batchingWindowSeconds >= 1, "worker.batchingWindowSeconds",
                    "a batchSize above 10 (" + batchSize + ") needs a batching window of at least 1 s (AWS rule)");
            SettingsException.require(maxConcurrency >= 2 && maxConcurrency <= 1000, "worker.maxConcurrency",
                    maxConcurrency + " must be from 2 to 1000");
            architecture = architecture == null ? "arm64" : architecture;
            SettingsException.require(architecture.equals("arm64") || architecture.equals("x86_64"),
                    "worker.architecture", "'" + architecture + "' must be arm64 or x86_64");
        }
    }

    /**
     * Guards checked from a photo's header, before it is decoded (beyond them, the worker's memory budget rejects
     * what would not fit as {@code too-complex}).
     *
     * @param maxObjectBytes     largest photo in bytes
     * @param maxPixels          most pixels (width x height)
     * @param maxSamplesPerPixel most samples (channels) per pixel: 3 for RGB, 4 for RGBA or CMYK, 5 for CMYK with
     *                           alpha; a TIFF may declare hundreds, each costing memory at every pixel (1 to 64)
     * @param maxAspectRatio     largest ratio of the long side to the short side (a 33,000,000 x 1 PNG is tiny on
     *                           disk, but a {@code cover} crop of it decodes every pixel); at least 1
     */
    public record Limits(long maxObjectBytes, long maxPixels, int maxSamplesPerPixel, double maxAspectRatio) {
        /** Samples per pixel allowed by default: CMYK with alpha and a spare channel. */
        public static final int DEFAULT_MAX_SAMPLES_PER_PIXEL = 8;
        /** Aspect ratio allowed by default: long stitched panoramas are 10-30:1. */
        public static final double DEFAULT_MAX_ASPECT_RATIO = 100;

        public Limits {
            SettingsException.require(maxObjectBytes >= 1024, "limits.maxObjectBytes",
                    maxObjectBytes + " must be at least 1024");
            SettingsException.require(maxPixels >= 1, "limits.maxPixels", maxPixels + " must be positive");
            SettingsException.require(maxSamplesPerPixel >= 1 && maxSamplesPerPixel <= 64, "limits.maxSamplesPerPixel",
                    maxSamplesPerPixel + " must be from 1 to 64");
            SettingsException.require(maxAspectRatio >= 1 && Double.isFinite(maxAspectRatio), "limits.maxAspectRatio",
                    maxAspectRatio + " must be a number of at least 1 (long side / short side)");
        }

        /** Byte and pixel limits with the default caps on samples per pixel and aspect ratio. */
        public Limits(long maxObjectBytes, long maxPixels) {
            this(maxObjectBytes, maxPixels, DEFAULT_MAX_SAMPLES_PER_PIXEL, DEFAULT_MAX_ASPECT_RATIO);
        }
    }

    /**
     * The upload API: what it accepts, how long its presigned URLs live, and the limits that keep one client from
     * using it up. Who may call it is not a setting: on AWS the deployment's authorizer decides (IAM unless a JWT
     * issuer is given, anonymous only with {@code allowAnonymousUploads}), and the local stack is anonymous on the
     * loopback interface (see {@link ApiAuth}).
     *
     * @param maxUploadBytes            largest upload S3 accepts through a presigned upload
     * @param allowedContentTypes       content types a client may declare
     * @param uploadUrlExpirySeconds    the longest a presigned upload lives; each one lives only as long as its size
     *                                  needs on a slow uplink (see the API's {@code UploadExpiry})
     * @param downloadUrlExpirySeconds  lifetime of presigned GETs of originals and renditions
     * @param publicBaseUrl             when set (e.g. a CDN), rendition URLs are {@code <publicBaseUrl>/<key>} instead
     * @param corsOrigins               origins (besides the API's own page) allowed to call the API and PUT to the
     *                                  bucket; none by default ("*" for any, which synthesis warns about)
     * @param memoryMb                  the API function's memory
     * @param timeoutSeconds            the API function's timeout
     * @param reservedConcurrency       concurrent executions reserved for (and the most allowed to) the API function
     * @param uploadsPerClientPerMinute uploads one client (an identity; an IP address when anonymous) may start in
     *                                  any minute; more get 429 with Retry-After
     */
    public record Api(long maxUploadBytes, List<String> allowedContentTypes, int uploadUrlExpirySeconds,
                      int downloadUrlExpirySeconds, String publicBaseUrl, List<String> corsOrigins, int memoryMb,
                      int timeoutSeconds, int reservedConcurrency, int uploadsPerClientPerMinute) {
        public Api {
            SettingsException.require(maxUploadBytes >= 1, "api.maxUploadBytes", maxUploadBytes + " must be positive");
            SettingsException.require(allowedContentTypes != null && !allowedContentTypes.isEmpty(),
                    "api.allowedContentTypes", "needs at least one content type");
            allowedContentTypes = List.copyOf(allowedContentTypes);
            SettingsException.require(uploadUrlExpirySeconds >= 1 && uploadUrlExpirySeconds <= 604_800,
                    "api.uploadUrlExpirySeconds", uploadUrlExpirySeconds + " must be from 1 to 604800 (7 days)");
            SettingsException.require(downloadUrlExpirySeconds >= 1 && downloadUrlExpirySeconds <= 604_800,
                    "api.downloadUrlExpirySeconds", downloadUrlExpirySeconds + " must be from 1 to 604800 (7 days)");
            publicBaseUrl = publicBaseUrl == null ? "" : publicBaseUrl;
            corsOrigins = corsOrigins == null ? List.of() : List.copyOf(corsOrigins);
            SettingsException.require(memoryMb >= 128 && memoryMb <= 10_240, "api.memoryMb",
                    memoryMb + " must be from 128 to 10240 (MB)");
            SettingsException.require(timeoutSeconds >= 1 && timeoutSeconds <= 30, "api.timeoutSeconds",
                    timeoutSeconds + " must be from 1 to 30 (API Gateway's integration limit)");
            // 0 would throttle every request; Lambda refuses a reservation that leaves the account fewer than 100
            // unreserved executions (https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html),
            // which only the deployment can check: the account's quota is not known here.
            SettingsException.require(reservedConcurrency >= 1 && reservedConcurrency <= 1000,
                    "api.reservedConcurrency", reservedConcurrency + " must be from 1 to 1000");
            // The API counts a client's last minute with one S3 listing page (at most 1000 keys).
            SettingsException.require(uploadsPerClientPerMinute >= 1 && uploadsPerClientPerMinute <= 1000,
                    "api.uploadsPerClientPerMinute", uploadsPerClientPerMinute + " must be from 1 to 1000");
        }
    }

    public PipelineSettings {
        SettingsException.require(bucket != null && BUCKET.matcher(bucket).matches(), "bucket",
                "'" + bucket + "' is not a valid S3 bucket name (3-63 lowercase letters, digits, '.', '-')");
        outputBucket = outputBucket == null ? "" : outputBucket;
        SettingsException.require(outputBucket.isEmpty() || BUCKET.matcher(outputBucket).matches(), "outputBucket",
                "'" + outputBucket + "' is not a valid S3 bucket name");
        inputPrefix = inputPrefix == null ? "" : inputPrefix;
        SettingsException.require(inputPrefix.isEmpty() || inputPrefix.endsWith("/"), "inputPrefix",
                "'" + inputPrefix + "' must be empty or end with '/'");
        SettingsException.require(outputPrefix != null && outputPrefix.endsWith("/") && outputPrefix.length() > 1,
                "outputPrefix", "'" + outputPrefix + "' must be a non-empty prefix ending with '/'");
        boolean sameBucket = outputBucket.isEmpty() || outputBucket.equals(bucket);
        SettingsException.require(!sameBucket || !(outputPrefix.startsWith(inputPrefix)
                        || inputPrefix.startsWith(outputPrefix)), "outputPrefix",
                "'" + outputPrefix + "' overlaps inputPrefix '" + inputPrefix
                        + "' in the same bucket: renditions would trigger the worker again");
        SettingsException.require(queue != null, "queue", "is required");
        SettingsException.require(worker != null, "worker", "is required");
        SettingsException.require(limits != null, "limits", "is required");
        SettingsException.require(api != null, "api", "is required");
        int minVisibility = 6 * worker.timeoutSeconds() + worker.batchingWindowSeconds();
        SettingsException.require(queue.visibilityTimeoutSeconds() >= minVisibility, "queue.visibilityTimeoutSeconds",
                queue.visibilityTimeoutSeconds() + " must be at least 6 x worker.timeoutSeconds + "
                        + "worker.batchingWindowSeconds = " + minVisibility + " (AWS rule for Lambda SQS sources)");
        jpegBackground = jpegBackground == null ? "#ffffff" : jpegBackground;
        SettingsException.require(COLOUR.matcher(jpegBackground).matches(), "jpegBackground",
                "'" + jpegBackground + "' must be a colour like #ffffff");
        SettingsException.require(renditions != null && !renditions.isEmpty(), "renditions",
                "at least one rendition is required");
        renditions = List.copyOf(renditions);
        Set<String> names = new HashSet<>();
        for (Rendition r : renditions) {
            SettingsException.require(names.add(r.name()), "renditions",
                    "the name '" + r.name() + "' is used twice; rendition names must be unique");
        }
    }

    /** The bucket renditions are written to. */
    public String effectiveOutputBucket() {
        return outputBucket.isEmpty() ? bucket : outputBucket;
    }

    /** A short hash of everything that shapes renditions; recorded on outputs to detect stale ones. */
    public String presetsHash() {
        return Presets.hash(renditions, jpegBackground);
    }

    /** The key layout these settings imply. */
    public OutputLayout layout() {
        return new OutputLayout(bucket, inputPrefix, effectiveOutputBucket(), outputPrefix);
    }

    /** The built-in defaults. */
    public static PipelineSettings defaults() {
        return fromTree(defaultsTree());
    }

    /**
     * Reads a user's settings file and merges it over the defaults (objects merge field by field; arrays such as
     * {@code renditions} replace the default array).
     */
    public static PipelineSettings load(Path file) {
        try {
            return fromJson(Files.readString(file));
        } catch (IOException e) {
            throw new SettingsException(file.toString(), "cannot read settings file: " + e.getMessage(), e);
        }
    }

    /** Like {@link #load(Path)} for JSON text (merged over the defaults). */
    public static PipelineSettings fromJson(String json) {
        JsonNode user;
        try {
            user = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new SettingsException("settings", "not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (user == null || !user.isObject()) {
            throw new SettingsException("settings", "must be a JSON object");
        }
        ObjectNode merged = defaultsTree();
        merge(merged, (ObjectNode) user);
        return fromTree(merged);
    }

    /** The settings as JSON, readable by {@link #fromJson}. */
    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Parses a JSON array of renditions (the form {@link FunctionEnv#RENDITIONS} carries). */
    public static List<Rendition> renditionsFromJson(String json) {
        try {
            return List.of(JSON.readValue(json, Rendition[].class));
        } catch (JsonProcessingException e) {
            throw new SettingsException("renditions", describe(e), e);
        }
    }

    /** The renditions as a compact JSON array. */
    public static String renditionsToJson(List<Rendition> renditions) {
        try {
            return JSON.copy().disable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(renditions);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static PipelineSettings fromTree(ObjectNode tree) {
        try {
            return JSON.treeToValue(tree, PipelineSettings.class);
        } catch (JsonProcessingException e) {
            throw new SettingsException("settings", describe(e), e);
        } catch (IllegalArgumentException e) {
            if (e.getCause() instanceof SettingsException se) {
                throw se;
            }
            throw e;
        }
    }

    private static String describe(JsonProcessingException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SettingsException se) {
                return se.getMessage();
            }
        }
        String path = e instanceof com.fasterxml.jackson.databind.JsonMappingException m
                ? m.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                        .reduce((a, b) -> b.startsWith("[") ? a + b : a + "." + b).orElse("")
                : "";
        if (e instanceof UnrecognizedPropertyException u) {
            return "unknown setting '" + path + "'; known here: " + u.getKnownPropertyIds();
        }
        if (e instanceof InvalidFormatException f) {
            return "'" + path + "' has a bad value '" + f.getValue() + "': " + e.getOriginalMessage();
        }
        return (path.isEmpty() ? "" : "'" + path + "': ") + e.getOriginalMessage();
    }

    private static ObjectNode defaultsTree() {
        try (InputStream in = PipelineSettings.class.getResourceAsStream("pipeline-defaults.json")) {
            if (in == null) {
                throw new IllegalStateException("pipeline-defaults.json is missing from the core jar");
            }
            return (ObjectNode) JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void merge(ObjectNode target, ObjectNode overrides) {
        overrides.properties().forEach(entry -> {
            JsonNode existing = target.get(entry.getKey());
            if (existing instanceof ObjectNode eo && entry.getValue() instanceof ObjectNode oo) {
                merge(eo, oo);
            } else {
                target.set(entry.getKey(), entry.getValue());
            }
        });
    }
}
