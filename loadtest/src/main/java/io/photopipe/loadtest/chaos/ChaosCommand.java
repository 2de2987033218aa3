package io.photopipe.loadtest.chaos;

import io.photopipe.core.SettingsException;
import io.photopipe.loadtest.Durations;
import io.photopipe.local.stack.LocalOptions;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./photopipe chaos}: a photo library through the local stack under fire, then the ledger. */
@Command(name = "photopipe chaos", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "Builds a library (generated photos of varied sizes, copies of real photos, bad files, heavy-but-small "
                        + "files, awkward key names) and runs it through a local stack started for the run (a child "
                        + "JVM on free loopback ports, its own data directory) under S3 faults, SIGKILLs of worker "
                        + "environments, a SIGTERM and a SIGKILL of the whole stack with restarts on the same data, an "
                        + "SQS outage and an upload burst. Then it waits (bounded) for the queue and the DLQ to settle "
                        + "and proves, object by object, READY, FAILED with a reason, or LOST.",
                "Writes chaos.json and chaos.html; traffic goes to 127.0.0.1 only."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:nothing LOST", "1:at least one object LOST", "2:bad usage",
                "3:the local stack could not start", "70:internal error"})
public final class ChaosCommand implements Callable<Integer> {

    @Option(names = "--objects", defaultValue = "400", description = "objects in the library (default ${DEFAULT-VALUE}"
            + ": a few minutes on 2 cores)")
    int objects;

    @Option(names = "--seed", defaultValue = "1", description = "seeds the library, the faults and the kills "
            + "(default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--s3-faults", paramLabel = "SPEC", defaultValue = ChaosOptions.HARSH,
            description = "S3 fault mix, '' for none (default '${DEFAULT-VALUE}')")
    String s3Faults;

    @Option(names = "--kill-every", paramLabel = "MIN-MAX", defaultValue = "10s-15s",
            description = "SIGKILL a worker environment every MIN-MAX, 0 for never (default ${DEFAULT-VALUE})")
    String killEvery;

    @Option(names = "--kill-target", paramLabel = "WHICH", defaultValue = "ANY",
            description = "which worker environments the SIGKILLs hit: ANY, BUSY (mid-invocation) or IDLE "
                    + "(default ${DEFAULT-VALUE})")
    ChaosOptions.KillTarget killTarget;

    @Option(names = "--sqs-outage", paramLabel = "DURATION", defaultValue = "20s",
            description = "SQS down this long, 0 for none (default ${DEFAULT-VALUE})")
    String sqsOutage;

    @Option(names = "--sqs-outage-at", paramLabel = "SHARE", defaultValue = "0.45",
            description = "the outage begins at this share of the uploads, 0 for before the first (default "
                    + "${DEFAULT-VALUE})")
    double sqsOutageAt;

    @Option(names = "--sigterm", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "SIGTERM the stack at 25%% of the uploads and restart it (default: on)")
    boolean sigterm;

    @Option(names = "--sigkill", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "SIGKILL the stack at 75%% (during the burst) and restart it (default: on)")
    boolean sigkill;

    @Option(names = "--burst", paramLabel = "SHARE", defaultValue = "0.45",
            description = "the last SHARE of the library is uploaded at once (default ${DEFAULT-VALUE})")
    double burst;

    @Option(names = "--steady-rate", paramLabel = "N", defaultValue = "5",
            description = "uploads per second before the burst (default ${DEFAULT-VALUE})")
    double steadyRate;

    @Option(names = "--storm-tail", paramLabel = "DURATION", defaultValue = "60s",
            description = "worker SIGKILLs go on this long after the last upload (default ${DEFAULT-VALUE})")
    String stormTail;

    @Option(names = "--settle-timeout", paramLabel = "DURATION", defaultValue = "15m",
            description = "how long to wait for the queue and the DLQ to settle (default ${DEFAULT-VALUE})")
    String settleTimeout;

    @Option(names = "--max-duration", paramLabel = "DURATION", defaultValue = "40m",
            description = "bound of the whole run (default ${DEFAULT-VALUE})")
    String maxDuration;

    @Option(names = "--poll-interval", paramLabel = "DURATION", defaultValue = "5s", hidden = true,
            description = "how often the settling is checked")
    String pollInterval;

    @Option(names = "--photos", paramLabel = "DIR", description = "folder of real photos to copy into the library; "
            + "repeatable (default: samples/photos)")
    List<Path> photos = new ArrayList<>();

    @Option(names = "--max-concurrency", paramLabel = "N", description = "the worker's MaximumConcurrency "
            + "(default: the settings')")
    Integer maxConcurrency;

    @Option(names = "--settings", paramLabel = "FILE", description = "pipeline settings (default: photopipe.json at "
            + "the project root when it exists)")
    Path settings;

    @Option(names = "--tiny-presets", description = "one small rendition instead of the settings' presets")
    boolean tinyPresets;

    @Option(names = "--out", paramLabel = "DIR", description = "where the stack's data and the reports go (default: "
            + ".photopipe/chaos/<time>)")
    Path out;

    @Option(names = "--recheck", paramLabel = "DIR", description = "instead of a run: the ledger of the run in DIR "
            + "again, from what its data holds now (its stack restarted without faults, after a settling); writes "
            + "recheck.json and recheck.html there")
    Path recheck;

    private final PrintStream stdout;

    public ChaosCommand() {
        this(System.out);
    }

    ChaosCommand(PrintStream stdout) {
        this.stdout = stdout;
    }

    @Override
    public Integer call() throws Exception {
        ChaosOptions o = options();
        ChaosReport.Result r;
        try {
            r = recheck != null ? new ChaosRun(o, stdout).recheck() : new ChaosRun(o, stdout).run();
        } catch (IllegalStateException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("the local stack did not start")) {
                System.err.println("photopipe chaos: " + e.getMessage());
                return 3;
            }
            throw e;
        }
        r.summary().forEach(stdout::println);
        stdout.println("report: " + r.html() + " (and " + r.json().getFileName() + ")");
        return r.lost() == 0 ? 0 : 1;
    }

    ChaosOptions options() {
        Path root = LocalOptions.findProjectRoot(Path.of(""));
        Duration min = null;
        Duration max = null;
        if (!killEvery.trim().equals("0")) {
            String[] parts = killEvery.split("-", 2);
            min = Durations.parse("--kill-every", parts[0]);
            max = parts.length > 1 ? Durations.parse("--kill-every", parts[1]) : min;
        }
        List<Path> dirs = photos.isEmpty() ? List.of(root.resolve("samples/photos")) : photos;
        Path dir = recheck != null ? recheck : out != null ? out : root.resolve(".photopipe/chaos")
                .resolve(LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        return new ChaosOptions(objects, seed, s3Faults, min, max, killTarget, Durations.parse("--sqs-outage",
                sqsOutage), sqsOutageAt, sigterm,
                sigkill, burst, steadyRate, Durations.parse("--storm-tail", stormTail),
                Durations.parse("--settle-timeout", settleTimeout), Durations.parse("--max-duration", maxDuration),
                Durations.parse("--poll-interval", pollInterval), dirs, dir, settings, maxConcurrency, tinyPresets);
    }

    /** The command line with picocli's conventions: usage errors exit 2, the reasons of refusals in one line. */
    static CommandLine commandLine(ChaosCommand command) {
        CommandLine cli = new CommandLine(command);
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof IllegalArgumentException || e instanceof SettingsException) {
                cmd.getErr().println("photopipe chaos: " + e.getMessage());
                return 2;
            }
            cmd.getErr().println("photopipe chaos: internal error: " + e);
            e.printStackTrace(cmd.getErr());
            return 70;
        });
        return cli;
    }

    public static void main(String[] args) {
        System.exit(commandLine(new ChaosCommand()).execute(args));
    }
}
