package io.photopipe.worker.bench;

import io.photopipe.core.PipelineSettings;
import io.photopipe.core.Rendition;
import io.photopipe.core.SettingsException;
import io.photopipe.worker.engine.EngineConfig;
import io.photopipe.worker.engine.ImageEngine;
import io.photopipe.worker.engine.ImageInfo;
import io.photopipe.worker.engine.PhotoRejectedException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./photopipe bench}: the rendition engine against naive Thumbnailator on the same photos in the same run.
 * Exit codes: 0 done, 1 a render failed, 2 bad arguments or no photos.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false, version = "photopipe bench 0.1.0",
        description = {"Benchmarks photopipe's rendition engine (one decode, cascade, filters) against naive "
                + "Thumbnailator (one Thumbnails.of call per rendition) on the same photos, in the same JVM, and "
                + "against libvips' vipsthumbnail (a process per rendition) when it is installed.",
            "Prints photos/s, megapixels/s per core, ms per photo and heap per photo in flight for each: 'heap' is the "
                + "peak above the idle heap (garbage included), 'live' the largest heap left after a garbage "
                + "collection, both divided by the photos in flight (the threads)."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:done", "1:a photo failed to render", "2:bad arguments or no photos found"})
public final class BenchCommand implements Callable<Integer> {

    @Option(names = "--photos", paramLabel = "DIR", description = "folder of photos (default: ${DEFAULT-VALUE})")
    Path photos = Path.of("samples", "photos");

    @Option(names = "--threads", paramLabel = "N", description = "threads rendering in parallel (default: the cores, "
            + "${DEFAULT-VALUE})")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--rounds", paramLabel = "R", description = "measured passes over the photos (default: ${DEFAULT-VALUE})")
    int rounds = 2;

    @Option(names = "--warmup", paramLabel = "R", description = "unmeasured passes first (default: ${DEFAULT-VALUE})")
    int warmup = 1;

    @Option(names = "--settings", paramLabel = "FILE", description = "pipeline settings JSON whose renditions to use "
            + "(default: the built-in presets)")
    Path settings;

    @Option(names = "--skip-naive", description = "measure the engine only")
    boolean skipNaive;

    @Option(names = "--skip-vips", description = "do not run libvips' vipsthumbnail even if it is installed")
    boolean skipVips;

    @Option(names = "--json", description = "print the figures as one JSON object")
    boolean json;

    @Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(new CommandLine(new BenchCommand()).execute(args));
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
        try {
            pipeline = settings == null ? PipelineSettings.defaults() : PipelineSettings.load(settings);
            ImageEngine.checkWritable(pipeline.renditions());
        } catch (SettingsException e) {
            err.println("bench: " + e.getMessage());
            return 2;
        }
        List<Rendition> renditions = pipeline.renditions();
        ImageEngine engine = new ImageEngine(EngineConfig.of(pipeline));
        List<Bench.Photo> set = load(engine, err);
        if (set.isEmpty()) {
            err.println("bench: no photos found in " + photos.toAbsolutePath() + " (use --photos DIR)");
            return 2;
        }
        Bench bench = new Bench(set, renditions, threads);
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
            if (!json) {
                out.println(line(results.getLast()));
                out.flush();
            }
        }
        if (json) {
            out.println(json(set, renditions, results));
        } else {
            for (BenchResult other : results.subList(1, results.size())) {
                out.printf(Locale.ROOT, "engine vs %s: %.1fx%n", other.name(),
                        results.get(0).photosPerSecond() / other.photosPerSecond());
            }
        }
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
                    set.add(new Bench.Photo(f.getFileName().toString(), bytes, info.pixels() / 1e6));
                } catch (PhotoRejectedException e) {
                    if (!f.getFileName().toString().matches("(?i).*\\.(md|txt|tsv|json)")) {
                        err.println("bench: skipping " + f.getFileName() + ": " + e.getMessage());
                    }
                }
            }
        }
        return set;
    }

    private String header(List<Bench.Photo> set, List<Rendition> renditions) {
        double mp = set.stream().mapToDouble(Bench.Photo::megapixels).sum();
        long bytes = set.stream().mapToLong(p -> p.bytes().length).sum();
        return String.format(Locale.ROOT, "%d photos (%.1f MP, %.1f MB) from %s; %d renditions: %s%n"
                        + "%d threads on %d cores, %d warm-up + %d measured rounds, Java %s, JPEG decoder: %s%n%n"
                        + "%-22s %10s %12s %10s %14s %14s", set.size(), mp, bytes / 1048576.0, photos, renditions.size(),
                renditions.stream().map(r -> r.name() + " " + r.width() + "x" + r.height() + " " + r.fit().id())
                        .collect(Collectors.joining(", ")),
                threads, Runtime.getRuntime().availableProcessors(), warmup, rounds, Runtime.version(),
                ImageEngine.jpegDecoder(), "", "photos/s", "MP/s/core", "ms/photo", "heap/photo MB", "live/photo MB");
    }

    private static String line(BenchResult r) {
        return String.format(Locale.ROOT, "%-22s %10.2f %12.1f %10.0f %14.1f %14s", r.name(), r.photosPerSecond(),
                r.megapixelsPerSecondPerCore(), r.msPerPhoto(), r.heapPerPhotoInFlightMb(),
                r.liveHeapPerPhotoInFlightMb() < 0 ? "-" : String.format(Locale.ROOT, "%.1f", r.liveHeapPerPhotoInFlightMb()));
    }

    private String json(List<Bench.Photo> set, List<Rendition> renditions, List<BenchResult> results) {
        double mp = set.stream().mapToDouble(Bench.Photo::megapixels).sum();
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "{\"photosDir\":\"%s\",\"photos\":%d,\"megapixels\":%.3f,\"threads\":%d,"
                        + "\"cores\":%d,\"rounds\":%d,\"warmup\":%d,\"java\":\"%s\",\"jpegDecoder\":\"%s\","
                        + "\"renditions\":[%s],\"results\":[",
                photos.toString().replace("\\", "\\\\").replace("\"", "\\\""), set.size(), mp, threads,
                Runtime.getRuntime().availableProcessors(), rounds, warmup, Runtime.version(), ImageEngine.jpegDecoder(),
                renditions.stream().map(r -> "\"" + r.name() + "\"").collect(Collectors.joining(","))));
        s.append(results.stream().map(BenchResult::json).collect(Collectors.joining(",")));
        s.append(']');
        for (BenchResult other : results.subList(1, results.size())) {
            s.append(String.format(Locale.ROOT, ",\"speedupOver%s\":%.2f",
                    other.name().startsWith("naive") ? "Naive" : "Vips",
                    results.get(0).photosPerSecond() / other.photosPerSecond()));
        }
        return s.append('}').toString();
    }
}
