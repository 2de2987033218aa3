package io.photopipe.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.photopipe.api.internal.Json;
import java.time.Instant;

/**
 * What the API remembers of an upload it handed out, stored as JSON at {@link #keyFor} in the output bucket: it
 * maps the id to the source key and its owner, tells an issued id from an unknown one, and lets a status request say
 * that an upload never arrived. It lives under the output prefix, which the worker never treats as input, so it never
 * triggers processing, and it expires after a day (see {@link io.photopipe.core.OutputLayout#apiRecordsPrefix}): an
 * abandoned upload leaves nothing behind, and an arrived one carries its owner itself (signed into the upload as
 * {@link #OWNER_METADATA}).
 *
 * @param id          the upload's id
 * @param bucket      the bucket the photo is uploaded to
 * @param key         the photo's key: {@code <inputPrefix><id>/<safe file name>}
 * @param fileName    the sanitised file name
 * @param contentType the declared (and signed) content type
 * @param size        the declared (and signed) size in bytes
 * @param createdAt   when the upload was handed out
 * @param expiresAt   when its presigned URL expires
 * @param owner       who may see it ({@link Identity#owner()}, "" for an anonymous upload)
 */
public record UploadTicket(String id, String bucket, String key, String fileName, String contentType, long size,
                           Instant createdAt, Instant expiresAt, String owner) {

    /** The photo's user metadata naming its owner (percent-encoded UTF-8, as S3 metadata is ASCII). */
    public static final String OWNER_METADATA = "photopipe-owner";

    public UploadTicket {
        // Tickets written before owners were recorded have none: they are nobody's (anonymous)
        owner = owner == null ? "" : owner;
    }

    /** Where the ticket of an id lives: {@code <outputPrefix>_api/uploads/<id>.json}. */
    public static String keyFor(ApiConfig config, ImageId id) {
        return config.layout().apiRecordsPrefix() + "uploads/" + id.value() + ".json";
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
