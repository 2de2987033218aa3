package io.photopipe.core;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The environment variables through which {@link PipelineSettings} reach the functions. The local runtime and the
 * CDK app both set exactly {@link #worker}'s and {@link #api}'s maps, so a function sees the same configuration in
 * both places.
 */
public final class FunctionEnv {
    public static final String BUCKET = "PHOTOPIPE_BUCKET";
    public static final String INPUT_PREFIX = "PHOTOPIPE_INPUT_PREFIX";
    public static final String OUTPUT_BUCKET = "PHOTOPIPE_OUTPUT_BUCKET";
    public static final String OUTPUT_PREFIX = "PHOTOPIPE_OUTPUT_PREFIX";
    public static final String DLQ_URL = "PHOTOPIPE_DLQ_URL";
    public static final String RESULTS_QUEUE_URL = "PHOTOPIPE_RESULTS_QUEUE_URL";
    public static final String RENDITIONS = "PHOTOPIPE_RENDITIONS";
    public static final String MAX_OBJECT_BYTES = "PHOTOPIPE_MAX_OBJECT_BYTES";
    public static final String MAX_PIXELS = "PHOTOPIPE_MAX_PIXELS";
    public static final String MAX_SAMPLES_PER_PIXEL = "PHOTOPIPE_MAX_SAMPLES_PER_PIXEL";
    public static final String MAX_ASPECT_RATIO = "PHOTOPIPE_MAX_ASPECT_RATIO";
    public static final String JPEG_BACKGROUND = "PHOTOPIPE_JPEG_BACKGROUND";
    /**
     * The upload queue's {@code maxReceiveCount} (its redrive policy): on a message's last delivery the worker moves
     * what would fail again to the DLQ itself, with the reason.
     */
    public static final String MAX_RECEIVE_COUNT = "PHOTOPIPE_MAX_RECEIVE_COUNT";
    /** Upload API: the largest upload a presigned URL allows, in bytes. */
    public static final String MAX_UPLOAD_BYTES = "PHOTOPIPE_MAX_UPLOAD_BYTES";
    /** Upload API: comma-separated content types a client may declare. */
    public static final String ALLOWED_CONTENT_TYPES = "PHOTOPIPE_ALLOWED_CONTENT_TYPES";
    /** Upload API: lifetime of presigned uploads, in seconds. */
    public static final String UPLOAD_URL_EXPIRY_SECONDS = "PHOTOPIPE_UPLOAD_URL_EXPIRY_SECONDS";
    /** Upload API: lifetime of presigned GETs of originals and renditions, in seconds. */
    public static final String DOWNLOAD_URL_EXPIRY_SECONDS = "PHOTOPIPE_DOWNLOAD_URL_EXPIRY_SECONDS";
    /** Upload API: base URL objects are served from instead of presigned GETs ("" for presigned GETs). */
    public static final String PUBLIC_BASE_URL = "PHOTOPIPE_PUBLIC_BASE_URL";
    /** Upload API: comma-separated origins allowed by CORS ("*" for any, "" for none). */
    public static final String CORS_ORIGINS = "PHOTOPIPE_CORS_ORIGINS";
    /** Upload API: who may call it, {@link ApiAuth#envValue()}; the function refuses requests without that identity. */
    public static final String API_AUTH = "PHOTOPIPE_API_AUTH";
    /**
     * Upload API: the public base URL its links ({@code Location}, {@code statusUrl}) start with, e.g. a custom
     * domain; "" for the domain API Gateway reports in {@code requestContext.domainName}. Never the Host header.
     */
    public static final String API_BASE_URL = "PHOTOPIPE_API_BASE_URL";
    /** Upload API: uploads one client may start per minute (its identity, or its source IP when anonymous). */
    public static final String UPLOADS_PER_CLIENT_PER_MINUTE = "PHOTOPIPE_UPLOADS_PER_CLIENT_PER_MINUTE";

    private FunctionEnv() {
    }

    /**
     * The worker's environment for these settings. Queue URLs are known only once queues exist (a CloudFormation
     * token on AWS, a local URL in the local runtime), so the caller passes them.
     */
    public static Map<String, String> worker(PipelineSettings s, String dlqUrl, String resultsQueueUrl) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put(BUCKET, s.bucket());
        env.put(INPUT_PREFIX, s.inputPrefix());
        env.put(OUTPUT_BUCKET, s.effectiveOutputBucket());
        env.put(OUTPUT_PREFIX, s.outputPrefix());
        env.put(DLQ_URL, dlqUrl);
        env.put(RESULTS_QUEUE_URL, resultsQueueUrl == null ? "" : resultsQueueUrl);
        env.put(RENDITIONS, PipelineSettings.renditionsToJson(s.renditions()));
        env.put(MAX_OBJECT_BYTES, Long.toString(s.limits().maxObjectBytes()));
        env.put(MAX_PIXELS, Long.toString(s.limits().maxPixels()));
        env.put(MAX_SAMPLES_PER_PIXEL, Integer.toString(s.limits().maxSamplesPerPixel()));
        env.put(MAX_ASPECT_RATIO, Double.toString(s.limits().maxAspectRatio()));
        env.put(JPEG_BACKGROUND, s.jpegBackground());
        env.put(MAX_RECEIVE_COUNT, Integer.toString(s.queue().maxReceiveCount()));
        return env;
    }

    /**
     * The upload API's environment for these settings: where photos go and where the worker writes their
     * renditions and status documents, plus {@link PipelineSettings.Api}, plus what only the place it runs knows:
     * who may call it and its public base URL. Lists are comma-separated (content types and origins contain no
     * commas).
     *
     * @param auth    the authorization in front of the function (the HTTP API's authorizer on AWS)
     * @param baseUrl the API's public base URL, or "" for the domain API Gateway reports
     */
    public static Map<String, String> api(PipelineSettings s, ApiAuth auth, String baseUrl) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put(BUCKET, s.bucket());
        env.put(INPUT_PREFIX, s.inputPrefix());
        env.put(OUTPUT_BUCKET, s.effectiveOutputBucket());
        env.put(OUTPUT_PREFIX, s.outputPrefix());
        PipelineSettings.Api api = s.api();
        env.put(MAX_UPLOAD_BYTES, Long.toString(api.maxUploadBytes()));
        env.put(ALLOWED_CONTENT_TYPES, String.join(",", api.allowedContentTypes()));
        env.put(UPLOAD_URL_EXPIRY_SECONDS, Integer.toString(api.uploadUrlExpirySeconds()));
        env.put(DOWNLOAD_URL_EXPIRY_SECONDS, Integer.toString(api.downloadUrlExpirySeconds()));
        env.put(PUBLIC_BASE_URL, api.publicBaseUrl());
        env.put(CORS_ORIGINS, String.join(",", api.corsOrigins()));
        env.put(UPLOADS_PER_CLIENT_PER_MINUTE, Integer.toString(api.uploadsPerClientPerMinute()));
        env.put(API_AUTH, auth.envValue());
        env.put(API_BASE_URL, baseUrl == null ? "" : baseUrl);
        return env;
    }
}
