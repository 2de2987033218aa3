package io.photopipe.worker.engine;

import io.photopipe.core.PipelineSettings;
import io.photopipe.core.SettingsException;
import java.awt.Color;

/**
 * What the image engine needs to know: the guards applied before decoding, the colour transparent pixels are
 * flattened onto for formats without alpha, and how many bytes of decoded pixels may be in memory at once.
 *
 * @param maxObjectBytes    photos larger than this are rejected before anything is read ({@code limits.maxObjectBytes})
 * @param maxPixels         photos with more pixels (width x height from the header) are rejected before decoding
 *                          ({@code limits.maxPixels})
 * @param background        colour transparent pixels are flattened onto when the output format has no alpha
 * @param memoryBudgetBytes decoded bytes allowed in flight across all threads; a render blocks while it is used up
 */
public record EngineConfig(long maxObjectBytes, long maxPixels, Color background, long memoryBudgetBytes) {

    /** Share of the maximum heap the decode budget may take; the rest is for encoders, S3 buffers and the JVM. */
    static final double HEAP_SHARE = 0.6;

    /** Smallest budget accepted: one 1024x1024 working set with its cascade. */
    static final long MIN_BUDGET = 16L << 20;

    public EngineConfig {
        if (maxObjectBytes < 1) {
            throw new SettingsException("limits.maxObjectBytes", maxObjectBytes + " must be positive");
        }
        if (maxPixels < 1) {
            throw new SettingsException("limits.maxPixels", maxPixels + " must be positive");
        }
        if (background == null) {
            background = Color.WHITE;
        }
        if (memoryBudgetBytes < MIN_BUDGET) {
            throw new SettingsException("memoryBudgetBytes", memoryBudgetBytes + " must be at least " + MIN_BUDGET
                    + " bytes (16 MB); give the JVM a larger heap (-Xmx)");
        }
    }

    /** The engine settings of a pipeline, with the memory budget derived from this JVM's maximum heap. */
    public static EngineConfig of(PipelineSettings s) {
        return new EngineConfig(s.limits().maxObjectBytes(), s.limits().maxPixels(),
                Color.decode(s.jpegBackground()), heapBudget(Runtime.getRuntime().maxMemory()));
    }

    /** The decode budget for a heap of {@code maxHeapBytes}: {@value #HEAP_SHARE} of it, at least 16 MB. */
    public static long heapBudget(long maxHeapBytes) {
        return Math.max(MIN_BUDGET, (long) (maxHeapBytes * HEAP_SHARE));
    }
}
