package io.photopipe.core;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The environment variables through which {@link PipelineSettings} reach the functions. The local runtime and the
 * CDK app both set exactly {@link #worker}'s map, so a function sees the same configuration in both places.
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
    public static final String JPEG_BACKGROUND = "PHOTOPIPE_JPEG_BACKGROUND";

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
        env.put(JPEG_BACKGROUND, s.jpegBackground());
        return env;
    }
}
