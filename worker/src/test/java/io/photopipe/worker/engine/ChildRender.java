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
            case "heavy" -> heavy(args[1], List.of(args).subList(2, args.length));
            case "oom" -> oom(Path.of(args[1]));
            case "config" -> {
                try {
                    EngineConfig.of(PipelineSettings.defaults());
                    System.out.println("config=ok");
                } catch (io.photopipe.core.SettingsException e) {
                    System.out.println("config=refused: " + e.getMessage());
                }
            }
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

    /**
     * {@code heavy default|raised FILE...}: renders the files at once (a thread each) with the default presets and
     * the engine configuration of this process's environment (the function's memory from
     * AWS_LAMBDA_FUNCTION_MEMORY_SIZE), with the default caps or caps raised so only the memory budget guards;
     * prints each outcome, the budget's peak and the process's peak resident memory (VmHWM).
     */
    private static void heavy(String caps, List<String> files) throws Exception {
        PipelineSettings s = PipelineSettings.defaults();
        EngineConfig c = EngineConfig.of(s);
        ImageEngine engine = new ImageEngine(caps.equals("raised") ? new EngineConfig(c.maxObjectBytes(),
                c.maxPixels(), c.background(), c.memoryBudgetBytes(), 1000, 1e9) : c);
        List<Thread> threads = new java.util.ArrayList<>();
        StringBuffer out = new StringBuffer();
        for (String f : files) {
            threads.add(Thread.ofPlatform().start(() -> out.append(outcome(engine, Path.of(f), s)).append('\n')));
        }
        for (Thread t : threads) {
            t.join();
        }
        System.out.print(out);
        System.out.println("budgetMb=" + (engine.config().memoryBudgetBytes() >> 20) + " peakBudgetMb="
                + (engine.peakMemoryBytes() >> 20) + " vmHwmMb=" + vmHwmMb() + " " + engine.decodes());
    }

    private static String outcome(ImageEngine engine, Path file, PipelineSettings s) {
        String name = file.getFileName().toString();
        try {
            RenderResult r = engine.render(Files.readAllBytes(file), s.renditions());
            return "outcome " + name + " rendered " + r.outputs().size() + " decoded=" + r.decodedPixels();
        } catch (PhotoRejectedException e) {
            return "outcome " + name + " " + e.code() + " " + e.getMessage();
        } catch (OutOfMemoryError e) {
            return "outcome " + name + " OutOfMemoryError " + e.getMessage();
        } catch (Throwable e) {
            return "outcome " + name + " error " + e;
        }
    }

    /** Peak resident set size of this process, from /proc/self/status (Linux); -1 elsewhere. */
    static long vmHwmMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) >> 10;
                }
            }
        } catch (java.io.IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    /**
     * {@code oom FILE}: a budget far above this JVM's small heap, so the decoder itself runs out of memory inside ImageIO
     * (whose PNG reader wraps any Throwable in an IIOException): prints what the engine threw.
     */
    private static void oom(Path file) throws Exception {
        byte[] png = Files.readAllBytes(file);
        ImageEngine engine = new ImageEngine(new EngineConfig(1L << 30, 300_000_000, Color.WHITE, 8L << 30));
        try {
            engine.render(png, List.of(TestImages.png("p", 3000, 3000, Fit.FIT)));
            System.out.println("outcome rendered");
        } catch (OutOfMemoryError e) {
            System.out.println("outcome OutOfMemoryError");
        } catch (PhotoRejectedException e) {
            System.out.println("outcome rejected " + e.code() + " " + e.getMessage());
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
