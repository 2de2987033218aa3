package io.photopipe.local.lambda;

import io.photopipe.local.servers.LocalCredentials;
import java.util.Map;

/** The credentials functions get ({@code AWS_ACCESS_KEY_ID}...): the local stack's one identity. */
final class LambdaCredentials {
    private LambdaCredentials() {
    }

    static Map<String, String> environment() {
        return Map.of("AWS_ACCESS_KEY_ID", LocalCredentials.ACCESS_KEY_ID,
                "AWS_SECRET_ACCESS_KEY", LocalCredentials.SECRET_ACCESS_KEY);
    }
}
