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
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
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

    @Option(names = "--in-process", description = "run the worker in this JVM (faster start, less faithful)")
    boolean inProcess;

    private final PrintStream out = System.out;

    @Override
    public Integer call() throws Exception {
        long started = System.nanoTime();
        Path root = LocalOptions.findProjectRoot(Path.of(""));
        PipelineSettings settings = LocalCommand.loadSettings(root, settingsFile);
        Path library = photos != null ? photos : root.resolve("samples").resolve("photos");
        if (!Files.isDirectory(library)) {
            System.err.println("photopipe demo: no sample photos at " + library + " (pass --photos DIR)");
            return 2;
        }
        Path data = (dataDir != null ? dataDir : root.resolve(".photopipe").resolve("demo")).toAbsolutePath();
        deleteRecursively(data);
        LocalOptions options = LocalOptions.ephemeral(root, data.resolve("stack"))
                .withFunctionMode(inProcess ? LambdaOptions.Mode.IN_PROCESS : LambdaOptions.Mode.CHILD_JVM);

        out.println("photopipe demo: starting a fresh local stack in " + data);
        try (LocalStack stack = LocalStack.start(settings, options)) {
            stack.describe().forEach(l -> out.println("  " + l));
            boolean terminal = System.console() != null;
            DemoRun.Report report = new DemoRun(stack, library, data, !noBackfill, Duration.ofSeconds(timeoutSeconds),
                    out, terminal).run();
            Duration total = Duration.ofNanos(System.nanoTime() - started);
            List<String> summary = summary(report, settings, total);
            out.println();
            summary.forEach(out::println);
            Path page = Gallery.write(data.resolve("gallery"), stack.s3().client(), settings, report, summary);
            out.println();
            out.println("Gallery: " + page.toUri());
            if (!report.unexpected().isEmpty()) {
                out.println();
                out.println("UNEXPECTED:");
                report.unexpected().forEach(u -> out.println("  - " + u));
                return 1;
            }
            return 0;
        }
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
                lines.add("    " + f.key() + " -> " + (f.dlqReason() != null ? f.dlqReason()
                        : f.status().reasonCode() + ": " + f.status().reason()));
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

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
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
