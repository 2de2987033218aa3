package io.photopipe.worker.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.photopipe.core.PipelineSettings;
import io.photopipe.core.Rendition;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * A measurement, not a test: per rendition, the PSNR of the engine's JPEG and of {@code vipsthumbnail}'s against a
 * common reference (libvips' {@code resize}, lanczos3, of the full-resolution decode to the same size, saved as PNG),
 * and the engine's heap+native estimate per photo (what it takes from its budget). Off by default; needs libvips'
 * command-line tools. Run with {@code ./mvnw -pl worker -am verify -Dtest=QualityAndMemoryMeasure
 * -Dsurefire.failIfNoSpecifiedTests=false -Dphotopipe.measure=/path/to/photos
 * -Dphotopipe.settings=samples/bench-three-renditions.json} (paths relative to worker/).
 */
@EnabledIfSystemProperty(named = "photopipe.measure", matches = ".+")
class QualityAndMemoryMeasure {

    @Test
    void measure() throws Exception {
        PipelineSettings s = PipelineSettings.load(Path.of(System.getProperty("photopipe.settings",
                "../samples/bench-three-renditions.json")));
        List<Rendition> renditions = s.renditions();
        int n = renditions.size();
        double[] ours = new double[n];
        double[] vips = new double[n];
        long[] oursBytes = new long[n];
        long[] vipsBytes = new long[n];
        long peakSum = 0;
        long peakMax = 0;
        List<Path> photos;
        try (Stream<Path> files = Files.list(Path.of(System.getProperty("photopipe.measure")))) {
            photos = files.filter(p -> p.toString().toLowerCase(Locale.ROOT).endsWith(".jpg")).sorted().toList();
        }
        Path tmp = Files.createTempDirectory("quality");
        for (Path photo : photos) {
            ImageEngine engine = new ImageEngine(EngineConfig.of(s));
            RenderResult r = engine.render(Files.readAllBytes(photo), renditions);
            peakSum += engine.peakMemoryBytes();
            peakMax = Math.max(peakMax, engine.peakMemoryBytes());
            for (int i = 0; i < n; i++) {
                Rendition rd = renditions.get(i);
                Path v = tmp.resolve("v.jpg");
                run("vipsthumbnail", photo.toString(), "--size", rd.width() + "x" + rd.height() + ">", "-o",
                        v + "[Q=" + Math.round(rd.quality() * 100) + ",optimize_coding,strip]");
                BufferedImage mine = ImageIO.read(new ByteArrayInputStream(r.outputs().get(i).bytes()));
                BufferedImage theirs = ImageIO.read(v.toFile());
                ours[i] += psnr(mine, reference(photo, tmp, mine, r.source()));
                vips[i] += psnr(theirs, reference(photo, tmp, theirs, r.source()));
                oursBytes[i] += r.outputs().get(i).bytes().length;
                vipsBytes[i] += Files.size(v);
            }
        }
        assertThat(photos).isNotEmpty();
        for (int i = 0; i < n; i++) {
            System.out.printf(Locale.ROOT, "MEASURE %s: engine %.2f dB (%d KB), vipsthumbnail %.2f dB (%d KB), %+.2f dB%n",
                    renditions.get(i).name(), ours[i] / photos.size(), oursBytes[i] >> 10, vips[i] / photos.size(),
                    vipsBytes[i] >> 10, (ours[i] - vips[i]) / photos.size());
        }
        System.out.printf(Locale.ROOT, "MEASURE %d photos, %s: heap+native per photo mean %.1f MB, max %.1f MB%n",
                photos.size(), Codecs.nativeAvailable() ? "native codecs" : "ImageIO", peakSum / photos.size() / 1048576.0,
                peakMax / 1048576.0);
    }

    private static BufferedImage reference(Path photo, Path tmp, BufferedImage like, ImageInfo source) throws Exception {
        Path ref = tmp.resolve("ref.png");
        run("vips", "resize", photo.toString(), ref.toString(), Double.toString(like.getWidth() / (double) source.width()),
                "--vscale", Double.toString(like.getHeight() / (double) source.height()), "--kernel", "lanczos3");
        return ImageIO.read(ref.toFile());
    }

    private static void run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", cmd) + ": " + out);
        }
    }

    /** PSNR over R, G and B of the overlapping area. */
    static double psnr(BufferedImage a, BufferedImage b) {
        int w = Math.min(a.getWidth(), b.getWidth());
        int h = Math.min(a.getHeight(), b.getHeight());
        double se = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = a.getRGB(x, y);
                int q = b.getRGB(x, y);
                for (int shift = 0; shift < 24; shift += 8) {
                    int d = ((p >> shift) & 0xFF) - ((q >> shift) & 0xFF);
                    se += d * d;
                }
            }
        }
        return 10 * Math.log10(255.0 * 255.0 / (se / (3.0 * w * h)));
    }
}
