package io.photopipe.local.lambda;

import java.util.Map;

/** The credentials functions get ({@code AWS_ACCESS_KEY_ID}...), the local servers' ones. */
final class LambdaCredentials {
    private LambdaCredentials() {
    }

    static Map<String, String> environment() {
        return Map.of("AWS_ACCESS_KEY_ID", "photopipe", "AWS_SECRET_ACCESS_KEY", "photopipe-local-secret");
    }
}
