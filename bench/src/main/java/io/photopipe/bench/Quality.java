package io.photopipe.bench;

import io.photopipe.core.Fit;
import io.photopipe.core.Rendition;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * PSNR of each contender's renditions against the same {@link Reference}, photo by photo, after the timed runs (so
 * it disturbs no timing). Only renditions every contender makes the same way are compared: no filters (the others
 * apply none) and {@code fit} or {@code exact} (a {@code cover} crop is placed differently by each).
 */
final class Quality {

    /** A contender's mean PSNR in dB over {@code compared} renditions, and the worst one. */
    record Score(double meanDb, double minDb, int compared) {
    }

    private Quality() {
    }

    static boolean comparable(Rendition r) {
        return r.filters().isEmpty() && r.fit() != Fit.COVER;
    }

    /** Scores per contender name; empty when no rendition is comparable. */
    static Map<String, Score> measure(List<Bench.Photo> photos, List<Rendition> renditions, List<Contender> contenders,
                                      Progress.Factory progress) throws Exception {
        Map<String, double[]> sums = new LinkedHashMap<>(); // name -> {sum, min, count}
        if (renditions.stream().noneMatch(Quality::comparable)) {
            return Map.of();
        }
        try (Progress p = progress.start("PSNR", photos.size())) {
            for (Bench.Photo photo : photos) {
                Reference ref = Reference.of(photo.bytes(), photo.orientation());
                Map<String, int[]> shrunk = new HashMap<>();
                for (Contender c : contenders) {
                    List<byte[]> outputs = c.render(photo.bytes(), renditions);
                    double[] s = sums.computeIfAbsent(c.name(), k -> new double[] {0, Double.MAX_VALUE, 0});
                    for (int i = 0; i < renditions.size(); i++) {
                        if (!comparable(renditions.get(i)) || outputs.get(i) == null) {
                            continue;
                        }
                        int[] size = new int[2];
                        int[] got = Reference.decode(outputs.get(i), size);
                        int[] want = shrunk.computeIfAbsent(size[0] + "x" + size[1], k -> ref.shrink(size[0], size[1]));
                        double db = psnr(want, got);
                        s[0] += db;
                        s[1] = Math.min(s[1], db);
                        s[2]++;
                    }
                }
                p.step();
            }
        }
        Map<String, Score> scores = new LinkedHashMap<>();
        sums.forEach((name, s) -> {
            if (s[2] > 0) {
                scores.put(name, new Score(s[0] / s[2], s[1], (int) s[2]));
            }
        });
        return scores;
    }

    /** Peak signal-to-noise ratio of two 0xRRGGBB images of the same size, over R, G and B; 100 dB if identical. */
    static double psnr(int[] a, int[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("images differ in size: " + a.length + " vs " + b.length + " pixels");
        }
        double se = 0;
        for (int i = 0; i < a.length; i++) {
            int dr = ((a[i] >> 16) & 0xFF) - ((b[i] >> 16) & 0xFF);
            int dg = ((a[i] >> 8) & 0xFF) - ((b[i] >> 8) & 0xFF);
            int db = (a[i] & 0xFF) - (b[i] & 0xFF);
            se += dr * dr + dg * dg + db * db;
        }
        double mse = se / (3.0 * a.length);
        return mse == 0 ? 100 : 10 * Math.log10(255.0 * 255.0 / mse);
    }
}
