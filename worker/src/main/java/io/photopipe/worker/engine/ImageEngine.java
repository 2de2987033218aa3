package io.photopipe.worker.engine;

import io.photopipe.core.ImageFormat;
import io.photopipe.core.Rendition;
import io.photopipe.core.SettingsException;
import io.photopipe.worker.engine.internal.DecodePlan;
import io.photopipe.worker.engine.internal.Decoder;
import io.photopipe.worker.engine.internal.Encoder;
import io.photopipe.worker.engine.internal.Filters;
import io.photopipe.worker.engine.internal.MemoryBudget;
import io.photopipe.worker.engine.internal.Orientation;
import io.photopipe.worker.engine.internal.Pixels;
import io.photopipe.worker.engine.internal.Plan;
import io.photopipe.worker.engine.internal.Resampler;
import io.photopipe.worker.engine.internal.Sniffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.LongAdder;

/**
 * Turns the bytes of a photo into encoded renditions, decoding it once.
 *
 * <ol>
 *   <li><b>Guards, before any pixel is decoded</b>: size in bytes, format from the first bytes (never the name),
 *       width x height against {@code limits.maxPixels}, aspect ratio and samples per pixel against their limits,
 *       and the memory the decode plan needs (heap and native) against the budget: what cannot fit is rejected as
 *       {@code too-complex} with the figure.</li>
 *   <li><b>One decode</b>, of the first frame, reduced at decode time so it keeps at least 2x the pixels the most
 *       demanding rendition needs (a 24 MP photo for 1024 px renditions decodes at about 2048 px): JPEGs natively
 *       with libjpeg-turbo's DCT scaling (1/2, 1/4, 1/8), WebP, still GIFs and plain TIFFs natively at full size,
 *       everything else (and whatever a native decoder declines: CMYK, damaged files) with ImageIO source
 *       subsampling (TwelveMonkeys plugins); CMYK/YCCK and embedded ICC profiles converted to sRGB, then turned
 *       upright by its EXIF orientation. See {@link Codecs}.</li>
 *   <li><b>A cascade</b>: renditions are made largest first, each from the smallest already-made image that is
 *       still at least as large (1024 -&gt; 512 -&gt; 128), with Catmull-Rom resampling; identical sizes are
 *       resampled once.</li>
 *   <li><b>Per rendition</b>: alpha flattened onto the background for JPEG, the filter chain, the encoder
 *       (no metadata copied).</li>
 * </ol>
 *
 * <p>Thread-safe. Memory in flight is bounded by {@link EngineConfig#memoryBudgetBytes()}: a render waits until its
 * estimate (from the header and the decode plan) fits. An OutOfMemoryError is never reported as a damaged photo:
 * it is rethrown as itself, unwrapped from ImageIO's exceptions, for the caller to retry later.
 */
public final class ImageEngine {

    private final EngineConfig config;
    private final MemoryBudget budget;
    private final Map<DecodePlan.Route, LongAdder> routes = new EnumMap<>(DecodePlan.Route.class);

    public ImageEngine(EngineConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.budget = new MemoryBudget(config.memoryBudgetBytes());
        for (DecodePlan.Route r : DecodePlan.Route.values()) {
            routes.put(r, new LongAdder());
        }
    }

    public EngineConfig config() {
        return config;
    }

    /**
     * Reads the header of {@code photo}: format (sniffed from its first bytes), size, orientation, alpha, frames.
     * Never decodes pixels.
     *
     * @throws PhotoRejectedException if the photo is empty, too large, not a supported image, has too many pixels or
     *                                an unreadable header
     */
    public ImageInfo probe(byte[] photo) throws PhotoRejectedException {
        return probeInternal(photo).info();
    }

    private Decoder.Probe probeInternal(byte[] photo) throws PhotoRejectedException {
        Objects.requireNonNull(photo, "photo");
        if (photo.length > config.maxObjectBytes()) {
            throw new PhotoRejectedException(PhotoRejectedException.TOO_LARGE, String.format(Locale.ROOT,
                    "the file has %s, more than the limit of %s (limits.maxObjectBytes)",
                    bytes(photo.length), bytes(config.maxObjectBytes())));
        }
        Sniffer.Format format = Sniffer.sniff(photo);
        return Decoder.probe(photo, format, config);
    }

    /**
     * Makes every rendition of {@code photo}; outputs are in the order of {@code renditions}. Blocks while the memory
     * budget is used up by other threads.
     *
     * @throws PhotoRejectedException  if the photo cannot be rendered (see {@link PhotoRejectedException#code()})
     * @throws SettingsException       if a rendition asks for a format no writer exists for
     * @throws CancellationException   if the thread is interrupted while waiting for memory (the interrupt flag is kept)
     */
    @SuppressWarnings("try") // the lease is held for the block, never read
    public RenderResult render(byte[] photo, List<Rendition> renditions) throws PhotoRejectedException {
        Objects.requireNonNull(renditions, "renditions");
        checkWritable(renditions);
        Decoder.Probe probe = probeInternal(photo);
        ImageInfo info = probe.info();
        if (renditions.isEmpty()) {
            return new RenderResult(info, List.of(), 0);
        }
        Plan plan = Plan.of(info.displayWidth(), info.displayHeight(), renditions);
        DecodePlan decode = DecodePlan.of(probe, plan, photo.length, budget.totalBytes());
        if (decode.totalBytes() > budget.totalBytes()) {
            throw new PhotoRejectedException(PhotoRejectedException.TOO_COMPLEX, String.format(Locale.ROOT,
                    "needs ~%s to decode (%s), more than the %s memory budget of this worker (60%% of its heap, at "
                            + "most 40%% of the function's memory: raise worker.memoryMb); it was not decoded",
                    bytes(decode.totalBytes()), decode.detail(), bytes(budget.totalBytes())));
        }
        try (MemoryBudget.Lease lease = budget.acquire(decode.leaseBytes(probe, plan))) {
            Pixels decoded = Decoder.decode(photo, probe, decode);
            routes.get(decode.route()).increment();
            long decodedPixels = (long) decoded.width() * decoded.height();
            Pixels upright = Orientation.apply(decoded, info.orientation());
            decoded = null; // let the stored-orientation copy go before the cascade allocates
            return new RenderResult(info, cascade(upright, info, plan), decodedPixels);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while waiting for image memory");
        } catch (RuntimeException e) {
            OutOfMemoryError oom = Decoder.outOfMemory(e);
            if (oom != null) {
                throw oom;
            }
            throw e;
        }
    }

    /**
     * The most memory (heap and native, as estimated) renders held at once in this engine; at most
     * {@link EngineConfig#memoryBudgetBytes()}.
     */
    public long peakMemoryBytes() {
        return budget.peakBytes();
    }

    /**
     * How many photos each decoder has decoded in this engine ({@code NATIVE_JPEG}, {@code IMAGEIO}, ...): with
     * {@link Codecs#byFormat()}, what the benchmark prints as "which decoder ran".
     */
    public Map<String, Long> decodes() {
        Map<String, Long> m = new LinkedHashMap<>();
        routes.forEach((r, n) -> m.put(r.name().toLowerCase(Locale.ROOT).replace('_', '-'), n.sum()));
        return m;
    }

    private List<RenderedImage> cascade(Pixels upright, ImageInfo info, Plan plan) {
        int fullW = info.displayWidth();
        int fullH = info.displayHeight();
        List<Pixels> sources = new ArrayList<>();
        sources.add(upright);
        RenderedImage[] out = new RenderedImage[plan.steps().size()];
        for (Plan.Step s : plan.steps()) {
            Pixels src = pick(sources, fullW, fullH, s.width() / s.w(), s.height() / s.h());
            double fx = src.width() / (double) fullW;
            double fy = src.height() / (double) fullH;
            boolean whole = s.x() == 0 && s.y() == 0 && s.w() == fullW && s.h() == fullH;
            Pixels scaled = whole ? Resampler.resize(src, s.width(), s.height())
                    : Resampler.resize(src, s.x() * fx, s.y() * fy, s.w() * fx, s.h() * fy, s.width(), s.height());
            if (s.fullFrame() && scaled != src) {
                sources.add(scaled);
            }
            out[s.index()] = finish(scaled, s.rendition());
        }
        return Arrays.asList(out);
    }

    /** The smallest full-frame image that still has at least the pixels a step needs (else the largest). */
    private static Pixels pick(List<Pixels> sources, int fullW, int fullH, double needX, double needY) {
        Pixels best = sources.getFirst();
        for (Pixels p : sources) {
            boolean enough = p.width() >= needX * fullW - 1e-6 && p.height() >= needY * fullH - 1e-6;
            if (enough && (long) p.width() * p.height() < (long) best.width() * best.height()) {
                best = p;
            }
        }
        return best;
    }

    private RenderedImage finish(Pixels scaled, Rendition r) {
        int w = scaled.width();
        int h = scaled.height();
        int n = w * h;
        boolean keepAlpha = scaled.alpha() && r.format().supportsAlpha();
        int[] src = scaled.argb();
        int[] px = new int[n];
        if (!scaled.alpha()) {
            System.arraycopy(src, 0, px, 0, n);
        } else if (keepAlpha) {
            for (int i = 0; i < n; i++) {
                px[i] = unpremultiply(src[i]);
            }
        } else {
            int bg = config.background().getRGB();
            for (int i = 0; i < n; i++) {
                px[i] = flatten(src[i], bg);
            }
        }
        Filters.apply(px, w, h, keepAlpha, r.filters());
        byte[] bytes = Encoder.encode(px, w, h, keepAlpha, r.format(), r.quality());
        return new RenderedImage(r, bytes, w, h, r.format().contentType());
    }

    /** Premultiplied colour over an opaque background: {@code c + bg * (1 - a)}. */
    static int flatten(int p, int bg) {
        int a = p >>> 24;
        if (a == 0xFF) {
            return p;
        }
        int inv = 255 - a;
        int r = ((p >> 16) & 0xFF) + (((bg >> 16) & 0xFF) * inv + 127) / 255;
        int g = ((p >> 8) & 0xFF) + (((bg >> 8) & 0xFF) * inv + 127) / 255;
        int b = (p & 0xFF) + ((bg & 0xFF) * inv + 127) / 255;
        return 0xFF000000 | Math.min(255, r) << 16 | Math.min(255, g) << 8 | Math.min(255, b);
    }

    static int unpremultiply(int p) {
        int a = p >>> 24;
        if (a == 0xFF || a == 0) {
            return a == 0 ? 0 : p;
        }
        int r = Math.min(255, (((p >> 16) & 0xFF) * 255 + a / 2) / a);
        int g = Math.min(255, (((p >> 8) & 0xFF) * 255 + a / 2) / a);
        int b = Math.min(255, ((p & 0xFF) * 255 + a / 2) / a);
        return a << 24 | r << 16 | g << 8 | b;
    }

    /**
     * Fails with a {@link SettingsException} naming the rendition when its output format has no writer here (WebP is
     * written by the native libwebp only: with {@code PHOTOPIPE_NATIVE=off}, or on a platform the jar has no
     * native codecs for, it cannot be). Call it when settings are loaded, to fail at start-up.
     */
    public static void checkWritable(List<Rendition> renditions) {
        Set<ImageFormat> ok = EnumSet.noneOf(ImageFormat.class);
        for (Rendition r : renditions) {
            if (!ok.contains(r.format())) {
                if (!Encoder.canWrite(r.format())) {
                    throw new SettingsException("renditions[" + r.name() + "].format", r.format().id()
                            + " is written by the native codecs only, and they are not in use here ("
                            + Codecs.nativeStatus() + "); use jpeg or png, or run where they load");
                }
                ok.add(r.format());
            }
        }
    }

    /**
     * Which JPEG decoder this JVM uses: {@code native leptonica-... (libjpeg-turbo ...)} when the native codecs
     * loaded (DCT-domain scaling, several times faster), else {@code ImageIO (...)}. Worth logging at start-up;
     * {@link Codecs#describe()} says it for every format.
     */
    public static String jpegDecoder() {
        return Codecs.nativeAvailable() ? "native " + Codecs.nativeStatus()
                : "ImageIO (TwelveMonkeys + JDK libjpeg): " + Codecs.nativeStatus();
    }

    private static String bytes(long n) {
        return n >= 1 << 20 ? String.format(Locale.ROOT, "%.1f MB", n / 1048576.0)
                : n >= 1024 ? String.format(Locale.ROOT, "%.1f kB", n / 1024.0) : n + " bytes";
    }
}
