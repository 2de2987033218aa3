package io.photopipe.core;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How a photo is placed into a rendition's box. */
public enum Fit {
    /** Scale to fit inside the box, keeping the aspect ratio; one side may be smaller than the box. */
    FIT,
    /** Scale to cover the box, keeping the aspect ratio, then crop the centre to exactly the box. */
    COVER,
    /** Scale to exactly the box, distorting the aspect ratio if needed. */
    EXACT;

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static Fit of(String value) {
        for (Fit fit : values()) {
            if (fit.id().equalsIgnoreCase(value == null ? "" : value.trim())) {
                return fit;
            }
        }
        throw new SettingsException("fit", "'" + value + "' is not a fit; use one of "
                + Arrays.stream(values()).map(Fit::id).collect(Collectors.joining(", ")));
    }
}
