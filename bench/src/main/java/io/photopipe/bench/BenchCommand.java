package io.photopipe.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.photopipe.core.PipelineSettings;
import io.photopipe.core.Rendition;
import io.photopipe.core.SettingsException;
import io.photopipe.worker.engine.Codecs;
import io.photopipe.worker.engine.EngineConfig;
import io.photopipe.worker.engine.ImageEngine;
import io.photopipe.worker.engine.ImageInfo;
import io.photopipe.worker.engine.PhotoRejectedException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./photopipe bench}: the rendition engine against naive Thumbnailator and libvips' vipsthumbnail on the same
 * photos in the same run. Exit codes: 0 done, 1 a render failed, 2 bad arguments or no photos.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false, version = "photopipe bench 0.1.0",
        description = {"Benchmarks photopipe's rendition engine (one decode, cascade, filters) against naive "
                + "Thumbnailator (one Thumbnails.of call per rendition) on the same photos, in the same JVM, and "
                + "against libvips' vipsthumbnail (a process per rendition) when it is installed.",
            "Prints photos/s, megapixels/s per core, ms per photo, memory per photo in flight and PSNR for each: "
                + "'heap' is the peak heap above idle (garbage included), 'live' the largest heap left after a "
                + "garbage collection, 'native' the peak malloc'ed memory above idle (codec buffers), 'rss' the peak "
                + "resident-set growth, all divided by the photos in flight (the threads); 'PSNR' the mean over the "
                + "renditions without filters against an area-averaged downscale of the full-resolution decode."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:done", "1:a photo failed to render", "2:bad arguments or no photos found"})
public final class BenchCommand implements Callable<Integer> {

    @Option(names = "--photos", paramLabel = "DIR", description = "folder of photos (default: ${DEFAULT-VALUE})")
    Path photos = Path.of("samples", "photos");

    @Option(names = "--workload", paramLabel = "NAME", converter = WorkloadConverter.class,
            description = "presets (the built-in presets: filters, watermark) or three-renditions (1024/512/128 JPEG "
                    + "fit, no filters: the comparison with vipsthumbnail x3); default: presets")
    Workload workload = Workload.PRESETS;

    @Option(names = "--settings", paramLabel = "FILE", description = "pipeline settings JSON whose renditions to use "
            + "instead of a --workload")
    Path settings;

    @Option(names = "--threads", paramLabel = "N", description = "threads rendering in parallel (default: the cores, "
            + "${DEFAULT-VALUE})")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--rounds", paramLabel = "R", description = "measured passes over the photos (default: ${DEFAULT-VALUE})")
    int rounds = 2;

    @Option(names = "--warmup", paramLabel = "R", description = "unmeasured passes first (default: ${DEFAULT-VALUE})")
    int warmup = 1;

    @Option(names = "--skip-naive", description = "do not run naive Thumbnailator (the slowest contender)")
    boolean skipNaive;

    @Option(names = "--skip-vips", description = "do not run libvips' vipsthumbnail even if it is installed")
    boolean skipVips;

    @Option(names = "--skip-psnr", description = "do not measure PSNR (one more untimed pass per contender)")
    boolean skipPsnr;

    @Option(names = "--json", description = "print the figures as one JSON object")
    boolean json;

    @Spec
    CommandLine.Model.CommandSpec spec;

    Progress.Factory progress = Progress.stderr();

    public static void main(String[] args) {
        System.exit(new CommandLine(new BenchCommand()).execute(args));
    }

    static final class WorkloadConverter implements CommandLine.ITypeConverter<Workload> {
        @Override
        public Workload convert(String value) {
            return Workload.of(value);
        }
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (threads < 1 || rounds < 1 || warmup < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--threads and --rounds must be at least 1, --warmup at least 0");
        }
        PipelineSettings pipeline;
        List<Rendition> renditions;
        try {
            pipeline = settings == null ? PipelineSettings.defaults() : PipelineSettings.load(settings);
            renditions = settings == null ? workload.renditions() : pipeline.renditions();
            ImageEngine.checkWritable(renditions);
        } catch (SettingsException e) {
            err.println("bench: " + e.getMessage());
            return 2;
        }
        ImageEngine engine = new ImageEngine(EngineConfig.of(pipeline));
        List<Bench.Photo> set = load(engine, err);
        if (set.isEmpty()) {
            err.println("bench: no photos found in " + photos.toAbsolutePath() + " (use --photos DIR)");
            return 2;
        }
        Bench bench = new Bench(set, renditions, threads, progress);
        List<Contender> contenders = new ArrayList<>();
        contenders.add(new EngineContender(engine));
        if (!skipNaive) {
            contenders.add(new NaiveThumbnailator());
        }
        if (!skipVips && VipsThumbnail.available()) {
            contenders.add(new VipsThumbnail());
        }
        if (!json) {
            out.println(header(set, renditions));
            out.flush();
        }
        List<BenchResult> results = new ArrayList<>();
        for (Contender c : contenders) {
            try {
                if (warmup > 0) {
                    bench.warmUp(c, warmup);
                }
                results.add(bench.measure(c, rounds));
            } catch (Exception e) {
                err.println("bench: " + c.name() + " failed: " + e);
                return 1;
            }
        }
        if (!skipPsnr) {
            Map<String, Quality.Score> scores;
            try {
                scores = Quality.measure(set, renditions, contenders, progress);
            } catch (Exception e) {
                err.println("bench: PSNR failed: " + e);
                return 1;
            }
            results.replaceAll(r -> r.withPsnr(scores.get(r.name())));
        }
        if (json) {
            out.println(json(set, renditions, results));
        } else {
            results.forEach(r -> out.println(line(r)));
            for (BenchResult other : results.subList(1, results.size())) {
                BenchResult e = results.getFirst();
                out.printf(Locale.ROOT, "engine vs %s: %.2fx%s%n", other.name(), e.photosPerSecond() / other.photosPerSecond(),
                        Double.isNaN(e.psnrDb()) || Double.isNaN(other.psnrDb()) ? ""
                                : String.format(Locale.ROOT, ", PSNR %+.2f dB", e.psnrDb() - other.psnrDb()));
            }
        }
        out.flush();
        return 0;
    }

    private List<Bench.Photo> load(ImageEngine engine, PrintWriter err) throws IOException {
        if (!Files.isDirectory(photos)) {
            return List.of();
        }
        List<Bench.Photo> set = new ArrayList<>();
        try (Stream<Path> files = Files.list(photos)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                byte[] bytes = Files.readAllBytes(f);
                try {
                    ImageInfo info = engine.probe(bytes);
                    set.add(new Bench.Photo(f.getFileName().toString(), bytes, info.pixels() / 1e6, info.orientation()));
                } catch (PhotoRejectedException e) {
                    if (!f.getFileName().toString().matches("(?i).*\\.(md|txt|tsv|json)")) {
                        err.println("bench: skipping " + f.getFileName() + ": " + e.getMessage());
                    }
                }
            }
        }
        return set;
    }

    private String workloadName() {
        return settings == null ? workload.id() : settings.toString();
    }

    private String header(List<Bench.Photo> set, List<Rendition> renditions) {
        double mp = set.stream().mapToDouble(Bench.Photo::megapixels).sum();
        long bytes = set.stream().mapToLong(p -> p.bytes().length).sum();
        return String.format(Locale.ROOT, "%d photos (%.1f MP, %.1f MB) from %s; workload %s, %d renditions: %s%n"
                        + "%d threads on %d cores, %d warm-up + %d measured rounds, Java %s%nengine %s%n"
                        + "memory per photo in flight, MB above idle; PSNR in dB over the renditions without filters%n%n"
                        + "%-22s %9s %10s %9s %7s %7s %7s %7s %7s",
                set.size(), mp, bytes / 1048576.0, photos, workloadName(), renditions.size(),
                renditions.stream().map(r -> r.name() + " " + r.width() + "x" + r.height() + " " + r.fit().id()
                        + " " + r.format().id()).collect(Collectors.joining(", ")),
                threads, Runtime.getRuntime().availableProcessors(), warmup, rounds, Runtime.version(),
                Codecs.describe(), "", "photos/s", "MP/s/core", "ms/photo", "heap", "live", "native", "rss", "PSNR");
    }

    private static String line(BenchResult r) {
        return String.format(Locale.ROOT, "%-22s %9.2f %10.1f %9.0f %7s %7s %7s %7s %7s", r.name(), r.photosPerSecond(),
                r.megapixelsPerSecondPerCore(), r.msPerPhoto(), mb(r.heapPerPhotoMb()), mb(r.liveHeapPerPhotoMb()),
                mb(r.nativePerPhotoMb()), mb(r.rssPerPhotoMb()),
                Double.isNaN(r.psnrDb()) ? "-" : String.format(Locale.ROOT, "%.2f", r.psnrDb()));
    }

    private static String mb(double v) {
        return v < 0 ? "-" : String.format(Locale.ROOT, "%.1f", v);
    }

    private String json(List<Bench.Photo> set, List<Rendition> renditions, List<BenchResult> results) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("photosDir", photos.toString());
        m.put("photos", set.size());
        m.put("megapixels", Math.round(set.stream().mapToDouble(Bench.Photo::megapixels).sum() * 1000) / 1000.0);
        m.put("workload", workloadName());
        m.put("renditions", renditions.stream().map(Rendition::name).toList());
        m.put("threads", threads);
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put("rounds", rounds);
        m.put("warmup", warmup);
        m.put("java", Runtime.version().toString());
        m.put("codecs", Codecs.byFormat());
        m.put("nativeCodecs", Codecs.nativeStatus());
        m.put("nativeMeasuredBy", NativeMemory.mallocAvailable() ? "glibc mallinfo2 (uordblks + hblkhd), sampled every 5 ms"
                : "unavailable (not glibc)");
        m.put("results", results.stream().map(BenchResult::json).toList());
        for (BenchResult other : results.subList(1, results.size())) {
            String key = other.name().startsWith("naive") ? "Naive" : "Vips";
            BenchResult e = results.getFirst();
            m.put("speedupOver" + key, Math.round(e.photosPerSecond() / other.photosPerSecond() * 100) / 100.0);
            if (!Double.isNaN(e.psnrDb()) && !Double.isNaN(other.psnrDb())) {
                m.put("psnrDbOver" + key, Math.round((e.psnrDb() - other.psnrDb()) * 100) / 100.0);
            }
        }
        return new ObjectMapper().writeValueAsString(m);
    }
}
