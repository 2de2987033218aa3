package io.photopipe.worker.engine;

import io.photopipe.core.Fit;
import io.photopipe.core.PipelineSettings;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Runs the engine in a child JVM for tests that need their own heap size or file system view.
 * {@code large FILE}: renders the default presets of FILE and prints sizes and peak heap.
 * {@code watermark}: draws a watermark and prints how many pixels changed.
 */
public final class ChildRender {

    private ChildRender() {
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "large" -> large(Path.of(args[1]));
            case "watermark" -> watermark();
            case "png" -> png(Path.of(args[1]), List.of(args).subList(2, args.length));
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    private static void large(Path file) throws Exception {
        byte[] photo = Files.readAllBytes(file);
        EngineConfig config = new EngineConfig(1L << 30, 300_000_000, Color.WHITE,
                EngineConfig.heapBudget(Runtime.getRuntime().maxMemory()));
        RenderResult result = new ImageEngine(config).render(photo, PipelineSettings.defaults().renditions());
        StringBuilder out = new StringBuilder("source=" + result.source().width() + "x" + result.source().height()
                + " decoded=" + result.decodedPixels());
        for (RenderedImage r : result.outputs()) {
            out.append(' ').append(r.rendition().name()).append('=').append(r.width()).append('x').append(r.height());
        }
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        System.out.println(out + " maxHeapMb=" + (Runtime.getRuntime().maxMemory() >> 20) + " peakHeapMb=" + (peak >> 20));
    }

    private static void png(Path dir, List<String> corpusFiles) throws Exception {
        ImageEngine engine = TestImages.engine();
        for (String name : corpusFiles) {
            RenderResult r = engine.render(TestImages.corpus(name), List.of(TestImages.png("p", 300, 300, Fit.FIT)));
            Files.write(dir.resolve(name + ".png"), r.outputs().getFirst().bytes());
        }
        System.out.println("decoder=" + ImageEngine.jpegDecoder() + " " + engine.decodes());
        try {
            ImageEngine.checkWritable(List.of(new io.photopipe.core.Rendition("w", 10, 10, Fit.FIT,
                    io.photopipe.core.ImageFormat.WEBP, 0.8, List.of())));
            System.out.println("webp=writable");
        } catch (io.photopipe.core.SettingsException e) {
            System.out.println("webp=refused: " + e.getMessage());
        }
    }

    private static void watermark() throws Exception {
        Path fonts = Path.of("/usr/share/fonts");
        long systemFonts;
        try (var files = Files.walk(fonts)) {
            systemFonts = files.filter(Files::isRegularFile).count();
        } catch (java.io.IOException e) {
            systemFonts = 0;
        }
        BufferedImage flat = new BufferedImage(320, 240, BufferedImage.TYPE_INT_RGB);
        var g = flat.createGraphics();
        g.setColor(new Color(0x3060A0));
        g.fillRect(0, 0, 320, 240);
        g.dispose();
        byte[] photo = TestImages.encodePng(flat);
        ImageEngine engine = new ImageEngine(new EngineConfig(1L << 30, 1_000_000, Color.WHITE, 64L << 20));
        BufferedImage plain = TestImages.decode(engine.render(photo,
                List.of(TestImages.png("p", 320, 240, Fit.FIT))).outputs().getFirst());
        BufferedImage marked = TestImages.decode(engine.render(photo,
                List.of(TestImages.png("w", 320, 240, Fit.FIT, "watermark:© photopipe"))).outputs().getFirst());
        int changed = 0;
        for (int y = 0; y < 240; y++) {
            for (int x = 0; x < 320; x++) {
                if (plain.getRGB(x, y) != marked.getRGB(x, y)) {
                    changed++;
                }
            }
        }
        System.out.println("systemFonts=" + systemFonts + " changed=" + changed);
    }
}
