package io.photopipe.core;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Output formats of renditions. WebP is written only where an ImageIO WebP writer is installed. */
public enum ImageFormat {
    JPEG("image/jpeg", "jpg", false),
    PNG("image/png", "png", true),
    WEBP("image/webp", "webp", true);

    private final String contentType;
    private final String extension;
    private final boolean alpha;

    ImageFormat(String contentType, String extension, boolean alpha) {
        this.contentType = contentType;
        this.extension = extension;
        this.alpha = alpha;
    }

    public String contentType() {
        return contentType;
    }

    /** File extension of output keys, without the dot. */
    public String extension() {
        return extension;
    }

    /** Whether the format keeps transparency; JPEG does not, so alpha is flattened onto the background. */
    public boolean supportsAlpha() {
        return alpha;
    }

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static ImageFormat of(String value) {
        String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        if (v.equals("jpg")) {
            return JPEG;
        }
        for (ImageFormat f : values()) {
            if (f.id().equals(v)) {
                return f;
            }
        }
        throw new SettingsException("format", "'" + value + "' is not an output format; use one of "
                + Arrays.stream(values()).map(ImageFormat::id).collect(Collectors.joining(", ")));
    }
}
