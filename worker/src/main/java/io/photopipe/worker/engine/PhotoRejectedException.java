package io.photopipe.worker.engine;

/**
 * The photo itself cannot be made into renditions, and retrying will not help: it is empty, not an image, in a
 * format we do not read, too large, has too many pixels, needs more memory than the engine may use, is truncated or
 * corrupt. The message is for the user who
 * uploaded it; {@link #code()} is a stable machine-readable reason.
 */
public final class PhotoRejectedException extends Exception {

    /** The object has no bytes. */
    public static final String EMPTY = "empty";
    /** The first bytes are not those of any image format (e.g. HTML or a PDF). */
    public static final String NOT_AN_IMAGE = "not-an-image";
    /** An image format we do not read (HEIC, AVIF, SVG, ...). */
    public static final String UNSUPPORTED_FORMAT = "unsupported-format";
    /** More bytes than {@code limits.maxObjectBytes}. */
    public static final String TOO_LARGE = "too-large";
    /** More pixels than {@code limits.maxPixels} according to its header. */
    public static final String TOO_MANY_PIXELS = "too-many-pixels";
    /**
     * Decoding it would need more memory than the engine's budget (the message names the figure), or its header
     * declares more samples per pixel or a more extreme aspect ratio than the limits allow.
     */
    public static final String TOO_COMPLEX = "too-complex";
    /** The file ends before the image does. */
    public static final String TRUNCATED = "truncated";
    /** The decoder found invalid data. */
    public static final String CORRUPT = "corrupt";

    private final String code;

    public PhotoRejectedException(String code, String message) {
        super(message);
        this.code = code;
    }

    public PhotoRejectedException(String code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    /**
     * The stable reason: one of {@code empty}, {@code not-an-image}, {@code unsupported-format}, {@code too-large},
     * {@code too-many-pixels}, {@code too-complex}, {@code truncated}, {@code corrupt}.
     */
    public String code() {
        return code;
    }
}
