package io.photopipe.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.photopipe.api.internal.Json;
import java.time.Instant;

/**
 * What the API remembers of an upload it handed out, stored as JSON at {@link #keyFor} in the output bucket: it
 * maps the id to the source key, tells an issued id from an unknown one, and lets a status request say that an
 * upload never arrived. It lives under the output prefix, which the worker never treats as input, so it never
 * triggers processing (a key under the input prefix would).
 *
 * @param id          the upload's id
 * @param bucket      the bucket the photo is uploaded to
 * @param key         the photo's key: {@code <inputPrefix><id>/<safe file name>}
 * @param fileName    the sanitised file name
 * @param contentType the declared (and signed) content type
 * @param size        the declared (and signed) size in bytes
 * @param createdAt   when the upload was handed out
 * @param expiresAt   when its presigned URL expires
 */
public record UploadTicket(String id, String bucket, String key, String fileName, String contentType, long size,
                           Instant createdAt, Instant expiresAt) {

    /** Where the ticket of an id lives: {@code <outputPrefix><id>/_upload.json}, beside the photo's renditions. */
    public static String keyFor(ApiConfig config, ImageId id) {
        // '_' cannot start a sanitised file name, so this never collides with a photo's rendition prefix
        return config.outputPrefix() + id.value() + "/_upload.json";
    }

    public String toJson() {
        return Json.write(this);
    }

    public static UploadTicket fromJson(String json) {
        try {
            return Json.read(json, UploadTicket.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable upload record: " + e.getOriginalMessage(), e);
        }
    }
}
