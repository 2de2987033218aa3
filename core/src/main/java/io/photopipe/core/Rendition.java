package io.photopipe.core;

import java.util.List;
import java.util.regex.Pattern;

/**
 * One output made from each photo: a name (part of its key), a box, how the photo fits the box, the output format
 * and quality, and a filter chain applied in order after resizing.
 *
 * @param name    lowercase letters, digits and dashes, 1 to 40 characters; unique in a preset set
 * @param width   box width in pixels, 1 to 8192
 * @param height  box height in pixels, 1 to 8192
 * @param fit     how the photo is placed into the box
 * @param format  output format
 * @param quality encoder quality from 0.05 to 1.0 (JPEG and lossy WebP; ignored by PNG)
 * @param filters filter chain, possibly empty
 */
public record Rendition(String name, int width, int height, Fit fit, ImageFormat format, double quality,
                        List<Filter> filters) {

    /** The longest rendition name (it is the last segment of output keys, so {@link OutputLayout} relies on it). */
    public static final int MAX_NAME_CHARS = 40;
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0," + (MAX_NAME_CHARS - 1) + "}");
    public static final int MAX_SIDE = 8192;

    public Rendition {
        String where = "renditions[" + name + "]";
        SettingsException.require(name != null && NAME.matcher(name).matches(), where + ".name",
                "'" + name + "' must be 1-40 lowercase letters, digits or dashes (it becomes part of output keys)");
        SettingsException.require(width >= 1 && width <= MAX_SIDE, where + ".width",
                width + " must be from 1 to " + MAX_SIDE);
        SettingsException.require(height >= 1 && height <= MAX_SIDE, where + ".height",
                height + " must be from 1 to " + MAX_SIDE);
        fit = fit == null ? Fit.FIT : fit;
        format = format == null ? ImageFormat.JPEG : format;
        if (quality == 0) {
            quality = 0.85;
        }
        SettingsException.require(quality >= 0.05 && quality <= 1.0, where + ".quality",
                quality + " must be from 0.05 to 1.0");
        filters = filters == null ? List.of() : List.copyOf(filters);
    }

    /** The larger side of the box: what decode-time downscaling must preserve. */
    public int longSide() {
        return Math.max(width, height);
    }
}
