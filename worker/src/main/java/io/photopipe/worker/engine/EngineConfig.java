package io.photopipe.worker.engine;

import io.photopipe.core.PipelineSettings;
import io.photopipe.core.SettingsException;
import java.awt.Color;
import java.util.function.Function;

/**
 * What the image engine needs to know: the guards applied before decoding, the colour transparent pixels are
 * flattened onto for formats without alpha, and how many bytes of decoded pixels may be in memory at once.
 *
 * @param maxObjectBytes     photos larger than this are rejected before anything is read ({@code limits.maxObjectBytes})
 * @param maxPixels          photos with more pixels (width x height from the header) are rejected before decoding
 *                           ({@code limits.maxPixels})
 * @param background         colour transparent pixels are flattened onto when the output format has no alpha
 * @param memoryBudgetBytes  bytes a render may hold, on the heap and natively (decoder buffers, decoded pixels,
 *                           the cascade, encoder buffers), across all threads; a render waits while others hold the
 *                           budget, and one that needs more than all of it is rejected as {@code too-complex}
 * @param maxSamplesPerPixel photos whose header declares more samples (channels) per pixel are rejected
 *                           ({@code limits.maxSamplesPerPixel})
 * @param maxAspectRatio     photos whose long side exceeds the short side by more are rejected
 *                           ({@code limits.maxAspectRatio})
 */
public record EngineConfig(long maxObjectBytes, long maxPixels, Color background, long memoryBudgetBytes,
                           int maxSamplesPerPixel, double maxAspectRatio) {

    /** Share of the maximum heap the budget may take; the rest is for S3 buffers, the SDK and the JVM. */
    static final double HEAP_SHARE = 0.6;

    /**
     * Share of the function's memory the budget may take. Native buffers come on top of the heap the JVM has
     * already committed (Lambda's Java runtime sets the heap to 85% of the function's memory), so heap and native
     * together must stay well below the function's memory: Lambda stops an environment that exceeds it.
     */
    static final double FUNCTION_SHARE = 0.4;

    /** Smallest budget accepted: one 1024x1024 working set with its cascade. */
    static final long MIN_BUDGET = 16L << 20;

    /** Lambda's variable for the function's memory in MB (set locally by the runtime emulation too). */
    static final String FUNCTION_MEMORY = "AWS_LAMBDA_FUNCTION_MEMORY_SIZE";

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
                    + " bytes (16 MB); give the JVM a larger heap (-Xmx) or the function more memory");
        }
        if (maxSamplesPerPixel < 1) {
            throw new SettingsException("limits.maxSamplesPerPixel", maxSamplesPerPixel + " must be positive");
        }
        if (!(maxAspectRatio >= 1)) {
            throw new SettingsException("limits.maxAspectRatio", maxAspectRatio + " must be at least 1");
        }
    }

    /** A configuration with the default caps on samples per pixel and aspect ratio. */
    public EngineConfig(long maxObjectBytes, long maxPixels, Color background, long memoryBudgetBytes) {
        this(maxObjectBytes, maxPixels, background, memoryBudgetBytes,
                PipelineSettings.Limits.DEFAULT_MAX_SAMPLES_PER_PIXEL, PipelineSettings.Limits.DEFAULT_MAX_ASPECT_RATIO);
    }

    /** The engine settings of a pipeline in this process ({@link #fromEnv} with the process environment). */
    public static EngineConfig of(PipelineSettings s) {
        return fromEnv(s, System::getenv);
    }

    /**
     * The engine settings of a pipeline, with the memory budget derived from this JVM's maximum heap and, where
     * {@value #FUNCTION_MEMORY} is set (Lambda, the local emulation), the function's memory.
     *
     * @throws SettingsException if {@value #FUNCTION_MEMORY} is not a number, or {@code PHOTOPIPE_NATIVE} has a
     *                           value other than auto, off or required, or is required but cannot be loaded
     */
    public static EngineConfig fromEnv(PipelineSettings s, Function<String, String> env) {
        Codecs.checkSetting(env.apply(Codecs.NATIVE_ENV));
        long budget = heapBudget(Runtime.getRuntime().maxMemory());
        String memory = env.apply(FUNCTION_MEMORY);
        if (memory != null && !memory.isBlank()) {
            try {
                budget = Math.min(budget, functionBudget(Long.parseLong(memory.strip())));
            } catch (NumberFormatException e) {
                throw new SettingsException(FUNCTION_MEMORY, "'" + memory + "' is not a number of MB");
            }
        }
        PipelineSettings.Limits l = s.limits();
        return new EngineConfig(l.maxObjectBytes(), l.maxPixels(), Color.decode(s.jpegBackground()), budget,
                l.maxSamplesPerPixel(), l.maxAspectRatio());
    }

    /** The budget for a heap of {@code maxHeapBytes}: {@value #HEAP_SHARE} of it, at least 16 MB. */
    public static long heapBudget(long maxHeapBytes) {
        return Math.max(MIN_BUDGET, (long) (maxHeapBytes * HEAP_SHARE));
    }

    /** The budget for a function of {@code memoryMb}: {@value #FUNCTION_SHARE} of it, at least 16 MB. */
    public static long functionBudget(long memoryMb) {
        return Math.max(MIN_BUDGET, (long) ((memoryMb << 20) * FUNCTION_SHARE));
    }
}
