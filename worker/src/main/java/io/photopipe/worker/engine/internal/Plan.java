package io.photopipe.worker.engine.internal;

import io.photopipe.core.Fit;
import io.photopipe.core.Rendition;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The geometry of a render, worked out from the header alone: for each rendition the output size and the part of
 * the upright source it shows, the decode-time reduction every rendition can still be made from with at least 2x
 * oversampling (as an integer ImageIO subsampling, and as the smallest scale for DCT-domain scaling), and the order
 * (largest first) in which renditions are derived from each other.
 *
 * <p>Fits: {@code fit} scales to fit inside the box and never enlarges; {@code cover} fills the box exactly, cropping
 * the centre (enlarging small photos); {@code exact} scales each side to the box, distorting if needed.
 */
public record Plan(int subsampling, double minScale, List<Step> steps) {

    /** Decode-time subsampling keeps at least this many source pixels per output pixel. */
    static final double OVERSAMPLING = 2.0;

    /**
     * One rendition: its index in the request, output size, and source rectangle in full-resolution upright pixels.
     */
    public record Step(int index, Rendition rendition, int width, int height, double x, double y, double w, double h) {

        /** Output pixels per source pixel (the larger of the two axes). */
        public double scale() {
            return Math.max(width / w, height / h);
        }

        /** Whether the output shows the whole frame with the source's proportions (usable as a cascade source). */
        public boolean fullFrame() {
            return rendition.fit() == Fit.FIT;
        }
    }

    /** Plans renditions of an upright source of {@code width x height} (display orientation) pixels. */
    public static Plan of(int width, int height, List<Rendition> renditions) {
        List<Step> steps = new ArrayList<>();
        int subsampling = Integer.MAX_VALUE;
        double minScale = 0;
        for (int i = 0; i < renditions.size(); i++) {
            Step s = step(i, renditions.get(i), width, height);
            steps.add(s);
            minScale = Math.max(minScale, Math.min(1, OVERSAMPLING * Math.max(s.width / s.w, s.height / s.h)));
            int k = (int) Math.floor(Math.min(s.w / (OVERSAMPLING * s.width), s.h / (OVERSAMPLING * s.height)));
            subsampling = Math.min(subsampling, Math.max(1, k));
        }
        steps.sort(Comparator.comparingDouble(Step::scale).reversed()
                .thenComparing(s -> s.fullFrame() ? 0 : 1));
        return new Plan(renditions.isEmpty() ? 1 : subsampling, renditions.isEmpty() ? 1 : minScale,
                List.copyOf(steps));
    }

    private static Step step(int index, Rendition r, int w, int h) {
        return switch (r.fit()) {
            case FIT -> {
                double s = Math.min(1.0, Math.min((double) r.width() / w, (double) r.height() / h));
                int ow = (int) Math.max(1, Math.min(r.width(), Math.round(w * s)));
                int oh = (int) Math.max(1, Math.min(r.height(), Math.round(h * s)));
                yield new Step(index, r, ow, oh, 0, 0, w, h);
            }
            case COVER -> {
                double s = Math.max((double) r.width() / w, (double) r.height() / h);
                double cw = Math.min(w, r.width() / s);
                double ch = Math.min(h, r.height() / s);
                yield new Step(index, r, r.width(), r.height(), (w - cw) / 2, (h - ch) / 2, cw, ch);
            }
            case EXACT -> new Step(index, r, r.width(), r.height(), 0, 0, w, h);
        };
    }

    /**
     * Heap a render needs beyond the decoded image: each full-frame output stays as a cascade source (4 bytes per
     * pixel), and the largest step holds its resampled pixels, the copy its filters work on, filter scratch and
     * ImageIO's interleaved raster at once (16 bytes per pixel).
     */
    public long workingBytes() {
        long sources = 0;
        long largest = 0;
        for (Step s : steps) {
            long px = (long) s.width * s.height;
            if (s.fullFrame()) {
                sources += 4 * px;
            }
            largest = Math.max(largest, px);
        }
        return sources + 16 * largest;
    }
}
