package io.photopipe.api;

import java.util.Map;

/** A request the API refuses, with the error code, the message the client sees and any headers the answer needs. */
public final class ApiException extends RuntimeException {
    private final ApiError error;
    private final Map<String, String> headers;

    public ApiException(ApiError error, String message) {
        this(error, message, Map.of());
    }

    public ApiException(ApiError error, String message, Map<String, String> headers) {
        super(message);
        this.error = error;
        this.headers = Map.copyOf(headers);
    }

    public ApiError error() {
        return error;
    }

    /** Headers the error answer carries, such as {@code Allow} on a 405. */
    public Map<String, String> headers() {
        return headers;
    }
}
