package io.photopipe.api;

import io.photopipe.core.AttemptRecord;
import io.photopipe.core.PhotoStatus;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * {@code GET /images/{id}}: where a photo is, from its upload record, the object itself and the status document the
 * worker writes at {@link io.photopipe.core.OutputLayout#statusKey} when it is done with it; without one, the
 * worker's attempt record ({@link io.photopipe.core.OutputLayout#attemptKey}) says whether its last delivery died
 * ({@code crashed-during-render}, {@code timed-out}): then it is failed, not pending forever.
 */
final class ImageStatuses {
    /** An upload that started just before its URL expired may still be arriving: S3 checks expiry at the start. */
    static final Duration LATE_UPLOAD_GRACE = Duration.ofMinutes(5);

    private final ApiConfig config;
    private final ObjectStore store;
    private final Tickets tickets;
    private final Clock clock;

    ImageStatuses(ApiConfig config, ObjectStore store, Clock clock) {
        this.config = config;
        this.store = store;
        this.tickets = new Tickets(config, store);
        this.clock = clock;
    }

    /** The answer's body for {@code caller}: {@code status} is pending, ready or failed. */
    Map<String, Object> lookup(String idText, Identity caller) {
        ImageId id = ImageId.parse(idText).orElseThrow(() -> new ApiException(ApiError.IMAGE_NOT_FOUND,
                "'" + Uploads.printable(idText) + "' is not an image id (ids are the 26 characters POST /uploads "
                        + "returns)"));
        // Someone else's photo is answered like a photo that does not exist (see Tickets)
        UploadTicket ticket = tickets.find(id, caller)
                .orElseThrow(() -> new ApiException(ApiError.IMAGE_NOT_FOUND, "no image with id " + id));

        Optional<String> sourceETag = store.eTag(ticket.bucket(), ticket.key());
        Optional<PhotoStatus> status = store.readText(config.outputBucket(), config.layout().statusKey(ticket.key()))
                .map(PhotoStatus::fromJson);

        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", id.value());
        if (sourceETag.isEmpty()) {
            if (status.isPresent() || ticket.expiresAt() == null) {
                // The worker saw it (or it was found without its ticket), then the photo was deleted
                throw new ApiException(ApiError.IMAGE_NOT_FOUND, "image " + id + " was deleted");
            }
            if (clock.instant().isAfter(ticket.expiresAt().plus(LATE_UPLOAD_GRACE))) {
                throw new ApiException(ApiError.UPLOAD_EXPIRED, "no photo was uploaded for id " + id
                        + " before its upload URL expired at " + ticket.expiresAt() + "; ask POST /uploads for a new one");
            }
            body.put("status", "pending");
            body.put("stage", "awaiting-upload");
            body.put("fileName", ticket.fileName());
            body.put("uploadExpiresAt", ticket.expiresAt().toString());
            return body;
        }
        // A status for an earlier version of the object (the URL was used twice) is not this upload's outcome
        if (status.isEmpty() || !sameETag(status.get().sourceETag(), sourceETag.get())) {
            Optional<AttemptRecord.FinalFailure> died = finalFailure(ticket, sourceETag.get());
            if (died.isPresent()) {
                // No final status, but its last delivery died (an OOM kill, a crash): it will not be tried again.
                body.put("status", "failed");
                body.put("fileName", ticket.fileName());
                body.put("reasonCode", died.get().reasonCode());
                body.put("reason", died.get().reason());
                body.put("failedAt", String.valueOf(died.get().attempt().startedAt()));
                return body;
            }
            body.put("status", "pending");
            body.put("stage", "processing");
            body.put("fileName", ticket.fileName());
            return body;
        }
        PhotoStatus photo = status.get();
        body.put("status", photo.state() == PhotoStatus.State.READY ? "ready" : "failed");
        body.put("fileName", ticket.fileName());
        if (photo.state() == PhotoStatus.State.FAILED) {
            body.put("reasonCode", photo.reasonCode());
            body.put("reason", photo.reason());
            body.put("failedAt", String.valueOf(photo.at()));
            return body;
        }
        if (!caller.isAnonymous()) {
            // The original only to its authenticated owner, and always presigned (never through publicBaseUrl): it
            // keeps what renditions drop, such as the EXIF GPS position, and an anonymous id is a share link
            body.put("original", store.presignGet(ticket.bucket(), ticket.key(), config.downloadUrlExpiry())
                    .toString());
        }
        Map<String, String> urls = new LinkedHashMap<>();
        Map<String, Object> details = new LinkedHashMap<>();
        photo.renditions().entrySet().stream()
                .sorted(Comparator.comparingLong((Map.Entry<String, PhotoStatus.Output> e) ->
                        (long) e.getValue().width() * e.getValue().height()).thenComparing(Map.Entry::getKey))
                .forEach(e -> {
                    PhotoStatus.Output out = e.getValue();
                    urls.put(e.getKey(), url(out.bucket(), out.key()));
                    Map<String, Object> detail = new LinkedHashMap<>();
                    detail.put("width", out.width());
                    detail.put("height", out.height());
                    detail.put("contentType", out.contentType());
                    detail.put("bytes", out.bytes());
                    details.put(e.getKey(), detail);
                });
        body.put("renditions", urls);
        body.put("details", details);
        body.put("readyAt", String.valueOf(photo.at()));
        if (config.publicBaseUrl().isEmpty() || body.containsKey("original")) {
            body.put("urlsExpireAt", clock.instant().plus(config.downloadUrlExpiry()).toString());
        }
        return body;
    }

    /** The worker's attempt record beside the status document: whether the photo's last delivery died. */
    private Optional<AttemptRecord.FinalFailure> finalFailure(UploadTicket ticket, String objectETag) {
        try {
            return store.readText(config.outputBucket(), config.layout().attemptKey(ticket.key()))
                    .map(AttemptRecord::fromJson)
                    .flatMap(r -> r.finalFailure(objectETag.replace("\"", ""), clock.instant()));
        } catch (IllegalArgumentException e) {
            return Optional.empty(); // not a record we can read: the photo is simply still pending
        }
    }

    private String url(String bucket, String key) {
        if (config.publicBaseUrl().isEmpty()) {
            return store.presignGet(bucket, key, config.downloadUrlExpiry()).toString();
        }
        return config.publicBaseUrl() + "/" + encodePath(key);
    }

    /** Percent-encodes each segment of a key (RFC 3986), keeping the '/' between them. */
    static String encodePath(String key) {
        return Arrays.stream(key.split("/", -1))
                .map(segment -> URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20")
                        .replace("*", "%2A").replace("%7E", "~"))
                .collect(Collectors.joining("/"));
    }

    /** A status without an ETag (the worker refused the photo before reading it, e.g. too large) is current. */
    private static boolean sameETag(String statusETag, String objectETag) {
        return statusETag == null || statusETag.replace("\"", "").equals(objectETag.replace("\"", ""));
    }
}
