package io.photopipe.local.demo;

import io.photopipe.core.PipelineSettings;
import io.photopipe.core.SettingsException;
import io.photopipe.local.demo.internal.DemoRun;
import io.photopipe.local.demo.internal.Gallery;
import io.photopipe.local.demo.internal.PhotoRecord;
import io.photopipe.local.lambda.LambdaOptions;
import io.photopipe.local.stack.LocalCommand;
import io.photopipe.local.stack.LocalOptions;
import io.photopipe.local.stack.LocalStack;
import io.photopipe.local.stack.StackMetrics;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./photopipe demo}: starts a fresh local stack, uploads the sample library and a few broken files, lets
 * S3 notifications, the queue, the event source mapping and the worker (child JVMs with the real Lambda runtime
 * client) process them, re-processes the library as a backfill, then prints a summary and writes an HTML gallery.
 */
@Command(name = "photopipe demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Runs the whole pipeline offline on the sample photos and ends by itself with a summary "
                + "(photos, renditions, failures with reasons, throughput, latency percentiles, cold starts) and an "
                + "HTML gallery of each original beside its renditions."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:every sample photo got its renditions and every broken file was reported",
                "1:something unexpected happened (listed at the end)", "2:bad arguments"})
public final class DemoCommand implements Callable<Integer> {

    @Option(names = "--photos", paramLabel = "DIR",
            description = "the library to upload (default: samples/photos at the project root)")
    Path photos;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "where the demo's stack keeps its data and the gallery; emptied first "
                    + "(default: .photopipe/demo)")
    Path dataDir;

    @Option(names = "--settings", paramLabel = "FILE", description = "pipeline settings (default: photopipe.json "
            + "at the project root when it exists, else the built-in defaults)")
    Path settingsFile;

    @Option(names = "--no-backfill", description = "skip re-processing the library through the queue after the uploads")
    boolean noBackfill;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "240",
            description = "give up waiting for a phase after this long (default: ${DEFAULT-VALUE})")
    int timeoutSeconds;

    @Option(names = "--max-concurrency", paramLabel = "N",
            description = "cap the worker's concurrent environments (default: the settings' worker.maxConcurrency, "
                    + "at most max(2, CPU cores) so cold starts do not starve each other on a small machine)")
    Integer maxConcurrency;

    @Option(names = "--in-process", description = "run the worker in this JVM (faster start, less faithful)")
    boolean inProcess;

    private final PrintStream out = System.out;

    @Override
    public Integer call() throws Exception {
        long started = System.nanoTime();
        Path root = LocalOptions.findProjectRoot(Path.of(""));
        PipelineSettings settings = withConcurrency(LocalCommand.loadSettings(root, settingsFile), maxConcurrency);
        Path library = photos != null ? photos : root.resolve("samples").resolve("photos");
        if (!Files.isDirectory(library)) {
            System.err.println("photopipe demo: no sample photos at " + library + " (pass --photos DIR)");
            return 2;
        }
        Path data = (dataDir != null ? dataDir : root.resolve(".photopipe").resolve("demo")).toAbsolutePath();
        if (!emptyDemoDirectory(data)) {
            System.err.println("photopipe demo: refusing to empty " + data + ": it is not empty and not a demo "
                    + "directory (no " + MARKER + " file); pass a new or empty --data-dir");
            return 2;
        }
        LocalOptions options = LocalOptions.ephemeral(root, data.resolve("stack"))
                .withFunctionMode(inProcess ? LambdaOptions.Mode.IN_PROCESS : LambdaOptions.Mode.CHILD_JVM);

        out.println("photopipe demo: starting a fresh local stack in " + data);
        LocalStack stack = LocalStack.start(settings, options);
        try {
            stack.describe().forEach(l -> out.println("  " + l));
            boolean terminal = System.console() != null;
            DemoRun.Report report = new DemoRun(stack, library, data, !noBackfill, Duration.ofSeconds(timeoutSeconds),
                    out, terminal).run();
            Duration total = Duration.ofNanos(System.nanoTime() - started);
            List<String> summary = summary(report, settings, total);
            out.println();
            summary.forEach(out::println);
            Path page = Gallery.write(data.resolve("gallery"), stack.s3().client(), settings, report, summary,
                    library.resolve("ATTRIBUTION.md"));
            out.println();
            out.println("Gallery: " + page.toUri());
            if (!report.unexpected().isEmpty()) {
                out.println();
                out.println("UNEXPECTED:");
                report.unexpected().forEach(u -> out.println("  - " + u));
                out.println("Function logs (START/END/REPORT and the worker's output): " + options.dataDir()
                        .resolve("logs"));
                return 1;
            }
            return 0;
        } finally {
            stack.close();
        }
    }

    /** The settings with the worker's maximum concurrency capped as {@code --max-concurrency} says. */
    static PipelineSettings withConcurrency(PipelineSettings s, Integer requested) {
        int cap = requested != null ? requested
                : Math.min(s.worker().maxConcurrency(), Math.max(2, Runtime.getRuntime().availableProcessors()));
        PipelineSettings.Worker w = s.worker();
        return new PipelineSettings(s.bucket(), s.inputPrefix(), s.outputBucket(), s.outputPrefix(), s.queue(),
                new PipelineSettings.Worker(w.memoryMb(), w.timeoutSeconds(), w.batchSize(), w.batchingWindowSeconds(),
                        cap, w.architecture()), s.limits(), s.jpegBackground(), s.renditions(), s.api());
    }

    static List<String> summary(DemoRun.Report r, PipelineSettings settings, Duration total) {
        List<String> lines = new ArrayList<>();
        long samples = r.photos().stream().filter(p -> !p.expectBad()).count();
        long ready = r.photos().stream().filter(PhotoRecord::ready).count();
        long failed = r.photos().stream().filter(PhotoRecord::failed).count();
        lines.add("Summary");
        lines.add(String.format(Locale.ROOT, "  files        %d uploaded (%d sample photos, %d broken files): %d ready,"
                + " %d failed", r.photos().size(), samples, r.photos().size() - samples, ready, failed));
        lines.add(String.format(Locale.ROOT, "  renditions   %d written (%d presets: %s), %.1f MB", r.renditions(),
                settings.renditions().size(), String.join(", ", settings.renditions().stream()
                        .map(x -> x.name()).toList()), r.renditionBytes() / (1024.0 * 1024)));
        lines.add(phaseLine(r.upload(), "uploads (S3 notifications)"));
        if (r.backfill() != null) {
            lines.add(phaseLine(r.backfill(), "backfill (re-process messages)"));
        }
        StackMetrics m = r.metrics();
        lines.add(String.format(Locale.ROOT, "  lambda       %d invocations in %d batches, %d errors, %d cold starts, "
                        + "up to %d concurrent environments (max concurrency %d, %d MB each)", m.invocations(),
                m.batches(), m.errors(), m.coldStarts(), m.maxEnvironments(), settings.worker().maxConcurrency(),
                settings.worker().memoryMb()));
        lines.add(String.format(Locale.ROOT, "  queues       upload queue %d left, DLQ %d message(s)", m.queued(),
                m.dlq()));
        List<PhotoRecord> failures = r.photos().stream().filter(PhotoRecord::failed)
                .sorted(Comparator.comparing(PhotoRecord::key)).toList();
        if (!failures.isEmpty()) {
            lines.add("  failures (reasons from the DLQ message attributes):");
            for (PhotoRecord f : failures) {
                lines.add("    " + f.key() + " -> " + f.status().reasonCode() + ": "
                        + (f.dlqReason() != null ? f.dlqReason() : f.status().reason() + " (not found in the DLQ)"));
            }
        }
        lines.add(String.format(Locale.ROOT, "  total time   %.1f s (start of the stack to the end of the last phase)",
                total.toMillis() / 1000.0));
        return lines;
    }

    private static String phaseLine(DemoRun.Phase p, String what) {
        return String.format(Locale.ROOT, "  %-12s %d files in %.1f s = %.2f photos/s; latency to final status %s",
                p.name(), p.files(), p.elapsed().toMillis() / 1000.0, p.photosPerSecond(), p.latency())
                + " [" + what + "]";
    }

    /** Marks a directory the demo made, so a later run may empty it and nothing else. */
    static final String MARKER = ".photopipe-demo";

    /**
     * Empties the demo's directory for a fresh run: only when it is new, empty, or carries the demo's marker (so a
     * mistyped {@code --data-dir} never deletes someone's files). Leaves the marker.
     *
     * @return false when the directory is someone else's
     */
    static boolean emptyDemoDirectory(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            boolean empty;
            try (Stream<Path> entries = Files.list(dir)) {
                empty = entries.findAny().isEmpty();
            }
            if (!empty && !Files.exists(dir.resolve(MARKER))) {
                return false;
            }
            try (Stream<Path> walk = Files.walk(dir)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(MARKER), "made by ./photopipe demo; emptied by the next run\n");
        return true;
    }

    public static void main(String[] args) {
        LocalCommand.quietLogs();
        CommandLine cli = new CommandLine(new DemoCommand());
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof SettingsException || e instanceof IllegalStateException) {
                cmd.getErr().println("photopipe demo: " + e.getMessage());
                return 1;
            }
            throw e;
        });
        System.exit(cli.execute(args));
    }
}
