package io.photopipe.infra;

import io.photopipe.core.FunctionEnv;
import io.photopipe.core.PipelineSettings;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The API function's environment. Interim: helper "api" is adding {@code FunctionEnv.api(...)} to core, which both the
 * local runtime and this app must then call; until it lands this carries the storage layout under the worker's
 * variable names and the API settings as one JSON document.
 */
final class ApiEnvironment {

    /** Interim variable carrying {@link PipelineSettings#api()} as JSON. */
    static final String API_SETTINGS = "PHOTOPIPE_API_SETTINGS";

    private ApiEnvironment() {
    }

    static Map<String, String> of(PipelineSettings settings, String resultsQueueUrl) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put(FunctionEnv.BUCKET, settings.bucket());
        env.put(FunctionEnv.INPUT_PREFIX, settings.inputPrefix());
        env.put(FunctionEnv.OUTPUT_BUCKET, settings.effectiveOutputBucket());
        env.put(FunctionEnv.OUTPUT_PREFIX, settings.outputPrefix());
        env.put(FunctionEnv.RESULTS_QUEUE_URL, resultsQueueUrl);
        env.put(API_SETTINGS, apiJson(settings));
        return env;
    }

    private static String apiJson(PipelineSettings settings) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(settings.api());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
