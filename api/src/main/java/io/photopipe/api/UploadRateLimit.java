package io.photopipe.api;

import io.photopipe.core.OutputLayout;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The per-client upload rate: a client may start {@link ApiConfig#uploadsPerClientPerMinute()} uploads in any
 * minute; the next one gets 429 {@code too-many-uploads} with {@code Retry-After}. A client is an authenticated
 * identity, or an anonymous caller's source address (see {@link Identity#rateLimited()}).
 *
 * <p>Why in the function: an API Gateway HTTP API has no per-client throttling and cannot be associated with AWS
 * WAF (both are REST API features: "Choose REST APIs if you need features such as API keys, per-client throttling,
 * ... AWS WAF integration", <a href="https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-vs-rest.html">Choose
 * between REST APIs and HTTP APIs</a>); its stage and route throttles are shared by all clients. With the API
 * authenticated, callers without credentials are refused by the authorizer before the function runs, and an
 * authenticated client can only be told apart here. What it limits is what costs: each upload is a worker run.
 *
 * <p>The counter is the client's uploads themselves: one empty object per upload at
 * {@code <apiRecordsPrefix>clients/<clientKey>/<id>}, and ids sort by time, so one listing from the id of a minute
 * ago counts the last minute (S3 lists are strongly consistent). They expire with the API's other records. Requests of
 * one client in flight at the same moment may overshoot the limit by their number: like API Gateway's own throttles,
 * a target rather than a guaranteed ceiling.
 */
final class UploadRateLimit {
    static final Duration WINDOW = Duration.ofMinutes(1);

    private final ApiConfig config;
    private final ObjectStore store;

    UploadRateLimit(ApiConfig config, ObjectStore store) {
        this.config = config;
        this.store = store;
    }

    /**
     * Refuses the caller's next upload when it started its limit in the minute before {@code now}.
     *
     * @throws ApiException {@link ApiError#TOO_MANY_UPLOADS} with {@code Retry-After}: when the oldest of them leaves
     *                      the minute
     */
    void check(Identity caller, Instant now) {
        if (!caller.rateLimited()) {
            return;
        }
        String prefix = prefix(caller);
        int limit = config.uploadsPerClientPerMinute();
        List<String> recent = store.listKeys(config.outputBucket(), prefix,
                prefix + ImageId.earliestAt(now.minus(WINDOW)).value(), limit);
        if (recent.size() < limit) {
            return;
        }
        Instant oldest = ImageId.parse(recent.getFirst().substring(prefix.length())).map(ImageId::createdAt)
                .orElse(now);
        long retryAfter = Math.max(1, Duration.between(now, oldest.plus(WINDOW)).toMillis() / 1000 + 1);
        throw new ApiException(ApiError.TOO_MANY_UPLOADS, "you started " + recent.size() + " uploads in the last "
                + "minute, the most allowed (api.uploadsPerClientPerMinute); retry in " + retryAfter + " s",
                Map.of("Retry-After", Long.toString(retryAfter)));
    }

    /** Counts an upload the caller started. */
    void record(Identity caller, ImageId id) {
        if (caller.rateLimited()) {
            store.createText(config.outputBucket(), prefix(caller) + id.value(), "text/plain", "",
                    Map.of(OutputLayout.EXPIRING_TAG, OutputLayout.EXPIRING_TAG_VALUE));
        }
    }

    private String prefix(Identity caller) {
        return config.layout().apiRecordsPrefix() + "clients/" + caller.clientKey() + "/";
    }
}
