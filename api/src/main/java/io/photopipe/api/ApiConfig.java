package io.photopipe.api;

import io.photopipe.core.ApiAuth;
import io.photopipe.core.FunctionEnv;
import io.photopipe.core.OutputLayout;
import io.photopipe.core.SettingsException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Everything the API is configured with, read once from the environment {@link FunctionEnv#api} describes and
 * validated in one place. Every error names the variable, the bad value and what is allowed.
 *
 * @param bucket              where photos are uploaded
 * @param inputPrefix         upload keys start with it
 * @param outputBucket        where the worker writes renditions and status documents
 * @param outputPrefix        the renditions' prefix; the API keeps its upload records under it too
 * @param maxUploadBytes      the largest photo a presigned upload accepts
 * @param allowedContentTypes content types a client may declare, lower case
 * @param uploadUrlExpiry     lifetime of a presigned upload
 * @param downloadUrlExpiry   lifetime of a presigned GET
 * @param publicBaseUrl       when not empty, object URLs are {@code <publicBaseUrl>/<key>} instead of presigned GETs
 * @param corsOrigins         origins the API answers CORS for; {@code *} for any
 * @param auth                who may call: the identity every upload and status request must carry
 * @param apiBaseUrl          the API's public base URL for its links, or "" for the domain API Gateway reports
 * @param uploadsPerClientPerMinute uploads one client may start in any minute
 * @param s3Endpoint          the standard {@code AWS_ENDPOINT_URL_S3} (or {@code AWS_ENDPOINT_URL}) override, or null
 */
public record ApiConfig(String bucket, String inputPrefix, String outputBucket, String outputPrefix,
                        long maxUploadBytes, List<String> allowedContentTypes, Duration uploadUrlExpiry,
                        Duration downloadUrlExpiry, String publicBaseUrl, List<String> corsOrigins, ApiAuth auth,
                        String apiBaseUrl, int uploadsPerClientPerMinute, URI s3Endpoint) {

    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    private static final Pattern CONTENT_TYPE = Pattern.compile("[a-z0-9][a-z0-9.+-]*/[a-z0-9][a-z0-9.+-]*");
    private static final Pattern ORIGIN = Pattern.compile("https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?|\\*");
    /** SigV4 presigned URLs live at most 7 days. */
    private static final long MAX_EXPIRY_SECONDS = 604_800;

    public ApiConfig {
        require(bucket != null && BUCKET.matcher(bucket).matches(), FunctionEnv.BUCKET,
                "'" + bucket + "' is not a valid S3 bucket name");
        require(outputBucket != null && BUCKET.matcher(outputBucket).matches(), FunctionEnv.OUTPUT_BUCKET,
                "'" + outputBucket + "' is not a valid S3 bucket name");
        inputPrefix = inputPrefix == null ? "" : inputPrefix;
        require(inputPrefix.isEmpty() || inputPrefix.endsWith("/"), FunctionEnv.INPUT_PREFIX,
                "'" + inputPrefix + "' must be empty or end with '/'");
        require(outputPrefix != null && outputPrefix.length() > 1 && outputPrefix.endsWith("/"),
                FunctionEnv.OUTPUT_PREFIX, "'" + outputPrefix + "' must be a non-empty prefix ending with '/'");
        require(maxUploadBytes >= 1, FunctionEnv.MAX_UPLOAD_BYTES, maxUploadBytes + " must be positive");
        require(allowedContentTypes != null && !allowedContentTypes.isEmpty(), FunctionEnv.ALLOWED_CONTENT_TYPES,
                "needs at least one content type");
        allowedContentTypes = allowedContentTypes.stream().map(t -> t.trim().toLowerCase(Locale.ROOT)).toList();
        for (String type : allowedContentTypes) {
            require(CONTENT_TYPE.matcher(type).matches(), FunctionEnv.ALLOWED_CONTENT_TYPES,
                    "'" + type + "' is not a content type like image/jpeg");
        }
        requireExpiry(uploadUrlExpiry, FunctionEnv.UPLOAD_URL_EXPIRY_SECONDS);
        requireExpiry(downloadUrlExpiry, FunctionEnv.DOWNLOAD_URL_EXPIRY_SECONDS);
        publicBaseUrl = withoutTrailingSlash(publicBaseUrl);
        require(publicBaseUrl.isEmpty() || isHttpUrl(publicBaseUrl), FunctionEnv.PUBLIC_BASE_URL,
                "'" + publicBaseUrl + "' must be empty or an absolute http(s) URL such as https://cdn.example.com");
        apiBaseUrl = withoutTrailingSlash(apiBaseUrl);
        require(apiBaseUrl.isEmpty() || isHttpUrl(apiBaseUrl), FunctionEnv.API_BASE_URL,
                "'" + apiBaseUrl + "' must be empty or an absolute http(s) URL such as https://api.photos.example.com");
        require(auth != null, FunctionEnv.API_AUTH, "is required");
        require(uploadsPerClientPerMinute >= 1 && uploadsPerClientPerMinute <= 1000,
                FunctionEnv.UPLOADS_PER_CLIENT_PER_MINUTE, uploadsPerClientPerMinute + " must be from 1 to 1000");
        corsOrigins = corsOrigins == null ? List.of() : List.copyOf(corsOrigins);
        for (String origin : corsOrigins) {
            require(ORIGIN.matcher(origin).matches(), FunctionEnv.CORS_ORIGINS,
                    "'" + origin + "' must be '*' or an origin such as https://photos.example.com (scheme, host and "
                            + "optional port; no path, no trailing '/')");
        }
    }

    /**
     * Reads the configuration from environment variables ({@code System::getenv} in Lambda, a map in tests).
     *
     * @throws SettingsException naming the variable when one is missing or invalid
     */
    public static ApiConfig fromEnv(Function<String, String> env) {
        String bucket = required(env, FunctionEnv.BUCKET);
        String outputBucket = optional(env, FunctionEnv.OUTPUT_BUCKET);
        return new ApiConfig(bucket,
                optional(env, FunctionEnv.INPUT_PREFIX),
                outputBucket.isEmpty() ? bucket : outputBucket,
                required(env, FunctionEnv.OUTPUT_PREFIX),
                parseLong(env, FunctionEnv.MAX_UPLOAD_BYTES),
                list(required(env, FunctionEnv.ALLOWED_CONTENT_TYPES)),
                Duration.ofSeconds(parseLong(env, FunctionEnv.UPLOAD_URL_EXPIRY_SECONDS)),
                Duration.ofSeconds(parseLong(env, FunctionEnv.DOWNLOAD_URL_EXPIRY_SECONDS)),
                optional(env, FunctionEnv.PUBLIC_BASE_URL),
                list(optional(env, FunctionEnv.CORS_ORIGINS)),
                ApiAuth.parse(required(env, FunctionEnv.API_AUTH), FunctionEnv.API_AUTH),
                optional(env, FunctionEnv.API_BASE_URL),
                Math.clamp(parseLong(env, FunctionEnv.UPLOADS_PER_CLIENT_PER_MINUTE), Integer.MIN_VALUE,
                        Integer.MAX_VALUE),
                endpoint(env));
    }

    /** The worker's key layout, from which status documents and renditions are found. */
    public OutputLayout layout() {
        return new OutputLayout(bucket, inputPrefix, outputBucket, outputPrefix);
    }

    private static URI endpoint(Function<String, String> env) {
        for (String name : List.of("AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL")) {
            String value = optional(env, name);
            if (!value.isEmpty()) {
                require(isHttpUrl(value), name, "'" + value + "' must be an absolute http(s) URL");
                return URI.create(value);
            }
        }
        return null;
    }

    private static String withoutTrailingSlash(String url) {
        String out = url == null ? "" : url.strip();
        while (out.endsWith("/")) {
            out = out.substring(0, out.length() - 1);
        }
        return out;
    }

    private static boolean isHttpUrl(String value) {
        try {
            URI uri = new URI(value);
            return uri.isAbsolute() && uri.getHost() != null
                    && ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()));
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static List<String> list(String value) {
        return Arrays.stream(value.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    private static String required(Function<String, String> env, String name) {
        String value = optional(env, name);
        require(!value.isEmpty(), name, "is required (FunctionEnv.api sets it from the pipeline settings)");
        return value;
    }

    private static String optional(Function<String, String> env, String name) {
        String value = env.apply(name);
        return value == null ? "" : value.strip();
    }

    private static long parseLong(Function<String, String> env, String name) {
        String value = required(env, name);
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new SettingsException(name, "'" + value + "' is not a whole number");
        }
    }

    private static void requireExpiry(Duration expiry, String name) {
        require(expiry != null && expiry.toSeconds() >= 1 && expiry.toSeconds() <= MAX_EXPIRY_SECONDS, name,
                (expiry == null ? "null" : expiry.toSeconds()) + " must be from 1 to 604800 seconds (SigV4 presigned "
                        + "URLs live at most 7 days)");
    }

    private static void require(boolean condition, String name, String message) {
        if (!condition) {
            throw new SettingsException(name, message);
        }
    }
}
