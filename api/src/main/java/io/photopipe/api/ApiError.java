package io.photopipe.api;

/**
 * The API's error codes. A code never changes once published: clients branch on it, and the message beside it is
 * for people.
 */
public enum ApiError {
    /** The request body is not a JSON object. */
    INVALID_JSON(400, "invalid-json"),
    /** {@code fileName} is missing, blank or longer than 255 characters. */
    INVALID_FILE_NAME(400, "invalid-file-name"),
    /** {@code contentType} is missing or not a content type. */
    INVALID_CONTENT_TYPE(400, "invalid-content-type"),
    /** {@code size} is missing, not a whole number, or not positive. */
    INVALID_SIZE(400, "invalid-size"),
    /**
     * The API requires an identity (IAM or JWT, as deployed) and the request carried none: on AWS the authorizer
     * refuses such requests first, so this means a route without one.
     */
    UNAUTHENTICATED(401, "unauthenticated"),
    /** No such route, or no photo with that id. */
    NOT_FOUND(404, "not-found"),
    /**
     * No photo with that id (or a malformed id), or one someone else uploaded: the answer is the same, so an id
     * found in a log or a URL does not even confirm that a photo exists.
     */
    IMAGE_NOT_FOUND(404, "image-not-found"),
    /** The id was issued but its upload URL expired before a photo arrived. */
    UPLOAD_EXPIRED(404, "upload-expired"),
    /** The route exists, the method does not ({@code Allow} says which do). */
    METHOD_NOT_ALLOWED(405, "method-not-allowed"),
    /** {@code size} is above the configured maximum. */
    FILE_TOO_LARGE(413, "file-too-large"),
    /** The request body itself is too large for what it is. */
    REQUEST_TOO_LARGE(413, "request-too-large"),
    /** {@code contentType} is a content type the API is not configured to accept. */
    UNSUPPORTED_CONTENT_TYPE(415, "unsupported-content-type"),
    /** The client started as many uploads in the last minute as it may; {@code Retry-After} says when to retry. */
    TOO_MANY_UPLOADS(429, "too-many-uploads"),
    /** Anything unexpected; the details are in the function's log, under the request id. */
    INTERNAL(500, "internal-error");

    private final int status;
    private final String code;

    ApiError(int status, String code) {
        this.status = status;
        this.code = code;
    }

    /** The HTTP status this error is answered with. */
    public int status() {
        return status;
    }

    /** The stable code clients see in {@code {"code": ...}}. */
    public String code() {
        return code;
    }
}
