package io.photopipe.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.photopipe.api.internal.Json;
import io.photopipe.core.PhotoStatus;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.random.RandomGenerator;
import java.util.regex.Pattern;

/**
 * {@code POST /uploads}: validates what the client declares and hands out a presigned upload for a key made here.
 * The checks here give clients good messages; the signature is what enforces them (S3 refuses another type or size).
 */
final class Uploads {
    /** A declaration is three short fields: anything much larger is not one. */
    static final int MAX_BODY_CHARS = 16 * 1024;
    private static final int MAX_ID_ATTEMPTS = 3;
    private static final Pattern CONTENT_TYPE = Pattern.compile("[a-z0-9][a-z0-9.+-]*/[a-z0-9][a-z0-9.+-]*");

    private final ApiConfig config;
    private final ObjectStore store;
    private final Tickets tickets;
    private final UploadRateLimit rateLimit;
    private final Clock clock;
    private final RandomGenerator random;

    Uploads(ApiConfig config, ObjectStore store, Clock clock, RandomGenerator random) {
        this.config = config;
        this.store = store;
        this.tickets = new Tickets(config, store);
        this.rateLimit = new UploadRateLimit(config, store);
        this.clock = clock;
        this.random = random;
    }

    /** The 201 answer's body. */
    record Created(String id, String fileName, Upload upload, String statusUrl, Instant expiresAt) {
    }

    /** How to upload: for PUT, send the body with exactly these headers; {@code fields} are for POST forms. */
    record Upload(String method, String url, Map<String, String> headers, Map<String, String> fields) {
    }

    /** Hands {@code caller} a presigned upload for what {@code body} declares; its links start with {@code baseUrl}. */
    Created create(String body, String baseUrl, Identity caller) {
        if (body.length() > MAX_BODY_CHARS) {
            throw new ApiException(ApiError.REQUEST_TOO_LARGE, "the request body is " + body.length()
                    + " characters; an upload request is a small JSON object of at most " + MAX_BODY_CHARS);
        }
        JsonNode json = parse(body);
        String declaredName = fileName(json.get("fileName"));
        String contentType = contentType(json.get("contentType"));
        long size = size(json.get("size"));

        Instant now = clock.instant();
        rateLimit.check(caller, now);
        for (int attempt = 1; ; attempt++) {
            ImageId id = ImageId.random(now, random);
            String fileName = FileNames.sanitise(declaredName, contentType);
            String key = config.inputPrefix() + id.value() + "/" + fileName;
            ObjectStore.PresignedUpload presigned = store.presignPut(config.bucket(), key, contentType, size,
                    Tickets.ownerMetadata(caller), UploadExpiry.forSize(size, config.uploadUrlExpiry()));
            UploadTicket ticket = new UploadTicket(id.value(), config.bucket(), key, fileName, contentType, size, now,
                    presigned.expiresAt(), caller.owner());
            // The record is created only if absent: even if two environments restored from one SnapStart snapshot
            // drew the same random bits, two uploads could never share an id (and so a key)
            if (tickets.create(ticket)) {
                rateLimit.record(caller, id);
                return new Created(id.value(), fileName,
                        new Upload("PUT", presigned.url().toString(), presigned.headers(), Map.of()),
                        baseUrl + "/images/" + id.value(), presigned.expiresAt());
            }
            if (attempt == MAX_ID_ATTEMPTS) {
                throw new IllegalStateException(MAX_ID_ATTEMPTS + " random ids in a row were taken: the random "
                        + "generator is broken");
            }
        }
    }

    /** Presigns, serialises and reads once without writing anything (see {@link PhotoApi#prime()}). */
    void prime() {
        Instant now = clock.instant();
        ImageId id = ImageId.random(now, random);
        String fileName = FileNames.sanitise("prime.jpg", "image/jpeg");
        ObjectStore.PresignedUpload presigned = store.presignPut(config.bucket(),
                config.inputPrefix() + id.value() + "/" + fileName, "image/jpeg", 1,
                Tickets.ownerMetadata(Identity.iam("arn:aws:iam::000000000000:user/prime", "")),
                UploadExpiry.forSize(1, config.uploadUrlExpiry()));
        store.presignGet(config.bucket(), config.inputPrefix() + id.value() + "/" + fileName,
                config.downloadUrlExpiry());
        String json = new UploadTicket(id.value(), config.bucket(), "k", fileName, "image/jpeg", 1, now,
                presigned.expiresAt(), "").toJson();
        UploadTicket.fromJson(json);
        PhotoStatus.fromJson(PhotoStatus.failed("b", "k", "e", "h", "c", "r")
                .toJson());
        Json.write(new Created(id.value(), fileName, new Upload("PUT", presigned.url().toString(),
                presigned.headers(), Map.of()), "", presigned.expiresAt()));
        try {
            // One real read (of a key that never exists) loads the SDK's whole request path: signing, HTTP, errors
            store.head(config.outputBucket(), UploadTicket.keyFor(config, id));
            store.listKeys(config.outputBucket(), config.layout().apiRecordsPrefix() + "clients/" + id.value() + "/",
                    null, 1);
        } catch (RuntimeException e) {
            // Priming is best effort: no network or no permission here must not stop the function
        }
    }

    private static JsonNode parse(String body) {
        JsonNode json;
        try {
            json = body.isBlank() ? null : Json.tree(body);
        } catch (JsonProcessingException e) {
            throw new ApiException(ApiError.INVALID_JSON, "the body is not valid JSON (" + e.getOriginalMessage()
                    + "); send {\"fileName\": \"cat.jpg\", \"contentType\": \"image/jpeg\", \"size\": 12345}");
        }
        if (json == null || !json.isObject()) {
            throw new ApiException(ApiError.INVALID_JSON, "the body must be a JSON object such as "
                    + "{\"fileName\": \"cat.jpg\", \"contentType\": \"image/jpeg\", \"size\": 12345}");
        }
        return json;
    }

    private static String fileName(JsonNode node) {
        if (node == null || !node.isTextual() || node.asText().isBlank()) {
            throw new ApiException(ApiError.INVALID_FILE_NAME,
                    "fileName is required: the name of the photo's file, such as \"cat.jpg\"");
        }
        String name = node.asText();
        if (name.length() > FileNames.MAX_DECLARED_LENGTH) {
            throw new ApiException(ApiError.INVALID_FILE_NAME, "fileName is " + name.length()
                    + " characters long; at most " + FileNames.MAX_DECLARED_LENGTH + " are allowed");
        }
        return name;
    }

    private String contentType(JsonNode node) {
        if (node == null || !node.isTextual() || node.asText().isBlank()) {
            throw new ApiException(ApiError.INVALID_CONTENT_TYPE, "contentType is required, one of "
                    + String.join(", ", config.allowedContentTypes()));
        }
        String declared = node.asText();
        // Parameters such as "; charset=..." mean nothing for images; S3 gets the bare type
        String type = declared.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (!CONTENT_TYPE.matcher(type).matches()) {
            throw new ApiException(ApiError.INVALID_CONTENT_TYPE, "contentType '" + printable(declared)
                    + "' is not a content type; use one of " + String.join(", ", config.allowedContentTypes()));
        }
        if (!config.allowedContentTypes().contains(type)) {
            throw new ApiException(ApiError.UNSUPPORTED_CONTENT_TYPE, "contentType '" + type
                    + "' is not accepted; use one of " + String.join(", ", config.allowedContentTypes()));
        }
        return type;
    }

    private long size(JsonNode node) {
        if (node == null || !node.isIntegralNumber() || !node.canConvertToLong()) {
            throw new ApiException(ApiError.INVALID_SIZE,
                    "size is required: the photo's size in bytes, as a whole number such as 12345");
        }
        long size = node.asLong();
        if (size < 1) {
            throw new ApiException(ApiError.INVALID_SIZE, "size " + size + " must be at least 1 byte");
        }
        if (size > config.maxUploadBytes()) {
            throw new ApiException(ApiError.FILE_TOO_LARGE, "the photo is " + size + " bytes; at most "
                    + config.maxUploadBytes() + " bytes (" + megabytes(config.maxUploadBytes()) + ") are accepted");
        }
        return size;
    }

    private static String megabytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024.0));
    }

    /** A client's text as it may appear inside an error message: short and without control characters. */
    static String printable(String text) {
        String shown = text.length() > 60 ? text.substring(0, 60) + "..." : text;
        return shown.codePoints().mapToObj(c -> Character.isISOControl(c) || Character.getType(c) == Character.FORMAT
                ? "?" : Character.toString(c)).reduce("", String::concat);
    }
}
