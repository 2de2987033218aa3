package io.photopipe.core;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * One step of a rendition's filter chain, written in settings as {@code "name"} or {@code "name:argument"}:
 * {@code grayscale}, {@code sepia:0.8}, {@code blur:2}, {@code sharpen:0.5}, {@code brightness:1.1},
 * {@code contrast:1.2}, {@code saturation:1.4} (alias {@code vivid}), {@code vignette:0.5},
 * {@code watermark:© photopipe}. The worker's image engine implements them; this record only describes and validates.
 *
 * @param kind   which filter
 * @param amount its numeric argument (the kind's default when omitted; unused by grayscale and watermark)
 * @param text   the watermark text; empty for other kinds
 */
public record Filter(Kind kind, double amount, String text) {

    /** The filters the engine knows, with their argument's default and allowed range. */
    public enum Kind {
        GRAYSCALE(0, 0, 0),
        SEPIA(1.0, 0, 1),
        BLUR(2.0, 0.5, 50),
        SHARPEN(0.5, 0, 5),
        BRIGHTNESS(1.1, 0, 4),
        CONTRAST(1.2, 0, 4),
        SATURATION(1.3, 0, 4),
        VIGNETTE(0.5, 0, 1),
        WATERMARK(0, 0, 0);

        final double defaultAmount;
        final double min;
        final double max;

        Kind(double defaultAmount, double min, double max) {
            this.defaultAmount = defaultAmount;
            this.min = min;
            this.max = max;
        }

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        boolean takesAmount() {
            return this != GRAYSCALE && this != WATERMARK;
        }
    }

    public Filter {
        if (kind == null) {
            throw new SettingsException("filters", "a filter needs a kind");
        }
        text = text == null ? "" : text;
        if (kind.takesAmount()) {
            SettingsException.require(Double.isFinite(amount) && amount >= kind.min && amount <= kind.max,
                    "filters", kind.id() + " takes a value from " + kind.min + " to " + kind.max + ", not " + amount);
        }
        if (kind == Kind.WATERMARK) {
            SettingsException.require(!text.isBlank() && text.length() <= 200, "filters",
                    "watermark needs a text of 1 to 200 characters, e.g. \"watermark:© photopipe\"");
            SettingsException.require(text.chars().noneMatch(Character::isISOControl), "filters",
                    "watermark text must not contain control characters");
        }
    }

    /** Parses the settings form {@code name[:argument]}; errors list the known filters. */
    @JsonCreator
    public static Filter parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new SettingsException("filters", "empty filter; use one of " + known());
        }
        String s = spec.strip();
        int colon = s.indexOf(':');
        String name = (colon < 0 ? s : s.substring(0, colon)).strip().toLowerCase(Locale.ROOT);
        String arg = colon < 0 ? null : s.substring(colon + 1).strip();
        if (name.equals("vivid")) {
            name = "saturation";
        }
        Kind kind = null;
        for (Kind k : Kind.values()) {
            if (k.id().equals(name)) {
                kind = k;
            }
        }
        if (kind == null) {
            throw new SettingsException("filters", "'" + spec + "' is not a filter; use one of " + known());
        }
        if (kind == Kind.WATERMARK) {
            return new Filter(kind, 0, arg);
        }
        if (arg == null || arg.isEmpty()) {
            return new Filter(kind, kind.defaultAmount, "");
        }
        if (!kind.takesAmount()) {
            throw new SettingsException("filters", kind.id() + " takes no argument, got '" + arg + "'");
        }
        try {
            return new Filter(kind, Double.parseDouble(arg), "");
        } catch (NumberFormatException e) {
            throw new SettingsException("filters", "'" + spec + "': '" + arg + "' is not a number", e);
        }
    }

    /** The settings form, which {@link #parse} reads back. */
    @JsonValue
    @Override
    public String toString() {
        return switch (kind) {
            case GRAYSCALE -> kind.id();
            case WATERMARK -> kind.id() + ":" + text;
            default -> kind.id() + ":" + stripZeros(amount);
        };
    }

    private static String stripZeros(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }

    private static String known() {
        return Arrays.stream(Kind.values()).map(Kind::id).collect(Collectors.joining(", ")) + ", vivid";
    }
}
