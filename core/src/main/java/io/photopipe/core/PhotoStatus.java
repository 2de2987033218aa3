package io.photopipe.core;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * What the worker knows about one photo, written as JSON to {@link OutputLayout#statusKey} after every final outcome
 * and published to the results queue: the API answers {@code GET /images/{id}} from it and the worker's idempotency
 * check reads it (same source ETag and presets hash: nothing to do). It is written only for final outcomes (ready
 * or failed); what is in progress, and what died in progress, is in the {@link AttemptRecord} beside it.
 *
 * @param state       ready or failed
 * @param bucket      source bucket
 * @param key         source key
 * @param sourceETag  ETag of the source object the outcome is for (unquoted)
 * @param presetsHash {@link Presets#hash} of the presets used
 * @param renditions  for ready photos: rendition name to its output
 * @param reasonCode  for failed photos: a stable code such as {@code too-many-pixels} ({@link ReasonCodes})
 * @param reason      for failed photos: a readable explanation
 * @param at          when the outcome was reached
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PhotoStatus(State state, String bucket, String key, String sourceETag, String presetsHash,
                          Map<String, Output> renditions, String reasonCode, String reason, Instant at) {

    private static final ObjectMapper JSON = Documents.JSON;

    public enum State { READY, FAILED }

    /** One written rendition. */
    public record Output(String bucket, String key, String contentType, int width, int height, long bytes) {
    }

    public PhotoStatus {
        Objects.requireNonNull(state, "state");
        renditions = renditions == null ? Map.of() : Map.copyOf(renditions);
    }

    public static PhotoStatus ready(String bucket, String key, String sourceETag, String presetsHash,
                                    Map<String, Output> renditions) {
        return new PhotoStatus(State.READY, bucket, key, sourceETag, presetsHash, renditions, null, null,
                Instant.now());
    }

    public static PhotoStatus failed(String bucket, String key, String sourceETag, String presetsHash,
                                     String reasonCode, String reason) {
        return new PhotoStatus(State.FAILED, bucket, key, sourceETag, presetsHash, Map.of(), reasonCode, reason,
                Instant.now());
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static PhotoStatus fromJson(String json) {
        try {
            return JSON.readValue(json, PhotoStatus.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a photopipe status document: " + e.getOriginalMessage(), e);
        }
    }
}
