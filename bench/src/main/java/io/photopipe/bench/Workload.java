package io.photopipe.bench;

import io.photopipe.core.Fit;
import io.photopipe.core.ImageFormat;
import io.photopipe.core.PipelineSettings;
import io.photopipe.core.Rendition;
import java.util.List;

/** The rendition sets the bench knows by name ({@code --workload}); {@code --settings FILE} gives any other. */
enum Workload {
    /** The built-in presets (filters, watermark, WebP where the engine writes it): what the worker makes by default. */
    PRESETS("presets"),
    /** 1024, 512 and 128 px JPEGs, fit, quality 0.85, no filters: the comparison with vipsthumbnail x3. */
    THREE_RENDITIONS("three-renditions");

    private final String id;

    Workload(String id) {
        this.id = id;
    }

    String id() {
        return id;
    }

    List<Rendition> renditions() {
        return switch (this) {
            case PRESETS -> PipelineSettings.defaults().renditions();
            case THREE_RENDITIONS -> List.of(jpeg("large", 1024), jpeg("medium", 512), jpeg("thumb", 128));
        };
    }

    private static Rendition jpeg(String name, int side) {
        return new Rendition(name, side, side, Fit.FIT, ImageFormat.JPEG, 0.85, List.of());
    }

    /** For picocli: {@code presets} or {@code three-renditions}. */
    static Workload of(String id) {
        for (Workload w : values()) {
            if (w.id.equals(id)) {
                return w;
            }
        }
        throw new IllegalArgumentException("'" + id + "' is not a workload; use presets or three-renditions");
    }
}
