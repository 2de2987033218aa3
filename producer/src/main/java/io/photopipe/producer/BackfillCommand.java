package io.photopipe.producer;

import io.photopipe.core.PipelineSettings;
import io.photopipe.producer.internal.Json;
import io.photopipe.producer.internal.Progress;
import io.photopipe.producer.internal.Units;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code produce backfill}: one re-process message per object of a library. */
@Command(name = "backfill", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Re-process an existing library: one message per object (the worker's S3 notification shape, "
                + "eventName ObjectCreated:Reprocess) sent with SendMessageBatch, many calls in flight, rate limited, "
                + "resumable.",
                "Objects come from ListObjectsV2 under --bucket/--prefix, or from an S3 Inventory CSV manifest "
                        + "(--inventory). Keys under the output prefix (renditions) are never sent.",
                "Progress is checkpointed after every acknowledged batch; after a crash or Ctrl-C, the same command "
                        + "with --resume continues where it stopped."},
        footer = {"%nExamples:",
                "  produce backfill --bucket photopipe-photos --prefix uploads/2024/ --rate 200",
                "  produce backfill --suffix .jpg,.jpeg --min-size 10KB --modified-since 2024-01-01 --dry-run",
                "  produce backfill --inventory s3://inventory-bucket/photopipe-photos/daily/2024-05-01T01-00Z/manifest.json",
                "  produce backfill --resume          # after Ctrl-C, same arguments"})
final class BackfillCommand implements Callable<Integer> {
    @ParentCommand
    ProducerCli cli;
    @Spec
    CommandSpec spec;
    @Mixin
    CommonOptions common;

    @Option(names = "--bucket", description = "Bucket to list; default: the settings' bucket.")
    String bucket;
    @Option(names = "--prefix", description = "Only keys under this prefix; default: the settings' input prefix.")
    String prefix;
    @Option(names = "--inventory", paramLabel = "MANIFEST",
            description = "Read objects from an S3 Inventory CSV report instead of listing: s3://bucket/.../manifest.json "
                    + "or a local path (data files beside it).")
    String inventory;
    @Option(names = "--queue", paramLabel = "NAME_OR_URL", description = "Target queue; default: the settings' queue.")
    String queue;

    @Option(names = "--suffix", split = ",", description = "Only keys ending with one of these, e.g. .jpg,.png.")
    List<String> suffixes = new ArrayList<>();
    @Option(names = "--content-type", split = ",", paramLabel = "TYPE",
            description = "Only keys whose extension means one of these types, e.g. image/jpeg,image/png.")
    List<String> contentTypes = new ArrayList<>();
    @Option(names = "--min-size", paramLabel = "SIZE", converter = BytesConverter.class,
            description = "Only objects of at least this size (e.g. 10KB).")
    long minSize = 0;
    @Option(names = "--max-size", paramLabel = "SIZE", converter = BytesConverter.class,
            description = "Only objects of at most this size (e.g. 50MB).")
    long maxSize = Long.MAX_VALUE;
    @Option(names = "--modified-since", paramLabel = "TIME", description = "Only objects modified at or after "
            + "(2024-05-01 or 2024-05-01T12:00:00Z).")
    Instant modifiedSince;
    @Option(names = "--modified-before", paramLabel = "TIME", description = "Only objects modified before.")
    Instant modifiedBefore;
    @Option(names = "--include-outputs", description = "Also send keys under the output prefix (normally skipped).")
    boolean includeOutputs;

    @Option(names = "--rate", paramLabel = "N[/s]", converter = RateConverter.class,
            description = "At most N messages per second, so a backfill cannot starve live uploads; default: no limit.")
    double rate = 0;
    @Option(names = "--max-in-flight", paramLabel = "N", description = "SendMessageBatch calls in flight (default: ${DEFAULT-VALUE}).")
    int maxInFlight = 16;
    @Option(names = "--force", description = "Ask the worker to rebuild renditions that already exist "
            + "(message attribute photopipe-force=true).")
    boolean force;
    @Option(names = "--checkpoint", paramLabel = "FILE",
            description = "Checkpoint file; default: .photopipe/checkpoints/backfill-<hash of source and queue>.json.")
    Path checkpoint;
    @Option(names = "--resume", description = "Continue from the checkpoint of an earlier, unfinished run.")
    boolean resume;
    @Option(names = "--restart", description = "Ignore (and overwrite) an unfinished checkpoint and start over.")
    boolean restart;
    @Option(names = "--dry-run", description = "List and filter only: print counts and the first keys, send nothing.")
    boolean dryRun;
    @Option(names = "--show", paramLabel = "N", description = "Keys a dry run prints (default: ${DEFAULT-VALUE}).")
    int show = 20;
    @Option(names = "--no-count", description = "Do not count the objects beside the run (the progress bar then "
            + "has no total and no ETA).")
    boolean noCount;
    @Option(names = "--max-batch-bytes", paramLabel = "SIZE", converter = BytesConverter.class, hidden = true,
            description = "Payload limit of one SendMessageBatch call (default 256KB).")
    long maxBatchBytes = BatchSender.DEFAULT_MAX_BATCH_BYTES;

    @Override
    public Integer call() throws Exception {
        PipelineSettings settings = common.settings();
        if (resume && restart) {
            throw ProducerException.usage("--resume and --restart exclude each other");
        }
        try (AwsClients aws = common.clients(cli, maxInFlight + 4)) {
            KeySource source;
            String prefixUsed = prefix != null ? prefix : settings.inputPrefix();
            if (inventory != null) {
                if (bucket != null) {
                    throw ProducerException.usage("--bucket and --inventory exclude each other: the manifest names "
                            + "the bucket");
                }
                source = new InventorySource(aws.s3(), inventory, prefix != null ? prefix : "");
            } else {
                source = new ListingSource(aws.s3(), bucket != null ? bucket : settings.bucket(), prefixUsed);
            }
            String queueUrl = Queues.url(aws.sqs(), queue != null ? queue : settings.queue().name());
            List<String> excluded = new ArrayList<>();
            if (!includeOutputs && !settings.outputPrefix().isEmpty()) {
                excluded.add(settings.outputPrefix());
            }
            ObjectFilter filter = new ObjectFilter(suffixes, new HashSet<>(contentTypes), minSize, maxSize,
                    modifiedSince, modifiedBefore, excluded);

            Path file = checkpoint != null ? checkpoint : defaultCheckpoint(source, queueUrl);
            Checkpoint from = null;
            if (resume) {
                if (!Files.exists(file)) {
                    throw ProducerException.usage("--resume: no checkpoint at " + file + " (pass --checkpoint FILE, "
                            + "or the same source and queue as the run to resume)");
                }
                from = Checkpoint.read(file);
                if (!from.source().equals(source.describe()) || !from.queueUrl().equals(queueUrl)) {
                    throw ProducerException.usage("checkpoint " + file + " belongs to a backfill of " + from.source()
                            + " to " + from.queueUrl() + ", not of " + source.describe() + " to " + queueUrl);
                }
                if (from.finished()) {
                    spec.commandLine().getErr().println("checkpoint " + file + " says the backfill finished at "
                            + from.updatedAt() + " (" + from.sent() + " sent); nothing to resume");
                    return ExitCodes.OK;
                }
            } else if (!dryRun && !restart && Files.exists(file) && !Checkpoint.read(file).finished()) {
                throw ProducerException.usage("an unfinished backfill left checkpoint " + file
                        + ": pass --resume to continue it, or --restart to start over");
            }

            BatchSender sender = new BatchSender(SendBatchPort.of(aws.sqs()), 6,
                    io.github.resilience4j.core.IntervalFunction.ofExponentialRandomBackoff(100, 2.0, 0.5, 5_000),
                    maxBatchBytes);
            Backfill.Options options = new Backfill.Options(queueUrl, aws.region().id(), force, maxInFlight, rate,
                    dryRun ? null : file, from, dryRun, show);
            BackfillSummary summary;
            try (Progress progress = Progress.bar(common.progress(), dryRun ? "listing" : "backfill", -1,
                    dryRun ? "obj" : "msg")) {
                Backfill backfill = new Backfill(source, filter, sender, options, progress, null);
                Thread counter = noCount || dryRun ? null
                        : Backfill.countInBackground(source, filter, from, progress);
                CountDownLatch finished = new CountDownLatch(1);
                Thread hook = new Thread(() -> {
                    backfill.stop(); // Ctrl-C: let batches in flight finish and save the checkpoint
                    try {
                        finished.await(60, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }, "backfill-shutdown");
                Runtime.getRuntime().addShutdownHook(hook);
                try {
                    summary = backfill.run();
                    if (counter != null) {
                        counter.interrupt();
                    }
                    progress.close();
                    print(summary);
                } finally {
                    finished.countDown();
                    try {
                        Runtime.getRuntime().removeShutdownHook(hook);
                    } catch (IllegalStateException e) {
                        // the JVM is already shutting down (Ctrl-C): the hook is running
                    }
                }
            }
            if (summary.failed() > 0) {
                return ExitCodes.PARTIAL;
            }
            return switch (summary.state()) {
                case "stopped", "aborted" -> ExitCodes.INTERRUPTED;
                default -> ExitCodes.OK;
            };
        }
    }

    private void print(BackfillSummary s) {
        PrintWriter out = spec.commandLine().getOut();
        if (common.json) {
            out.println(Json.write(s));
            out.flush();
            return;
        }
        out.printf(Locale.ROOT, "backfill %s: %s -> %s%n", s.state(), s.source(), Queues.name(s.queueUrl()));
        out.printf(Locale.ROOT, "  listed %,d  matched %,d (%s)  filtered out %,d  already done %,d%n", s.listed(),
                s.matched(), Units.bytes(s.matchedBytes()), s.filteredOut(), s.alreadyDone());
        if (s.state().equals("dry-run")) {
            out.printf(Locale.ROOT, "  would send %,d messages in about %,d batches; first keys:%n", s.matched(),
                    s.batches());
            s.firstKeys().forEach(k -> out.println("    " + k));
        } else {
            out.printf(Locale.ROOT, "  sent %,d messages in %,d batches (%,d entries retried), %,d failed%n", s.sent(),
                    s.batches(), s.retriedEntries(), s.failed());
            if (s.totalSent() != s.sent()) {
                out.printf(Locale.ROOT, "  over all runs: %,d sent, %,d failed%n", s.totalSent(), s.totalFailed());
            }
            for (SendResult.Failure f : s.failures()) {
                out.printf(Locale.ROOT, "  FAILED %s: %s %s%n", f.id(), f.code(), f.message());
            }
            out.printf(Locale.ROOT, "  %s, %.0f msg/s%n", Units.duration(s.elapsed()), s.messagesPerSecond());
            if (s.checkpoint() != null) {
                out.printf("  checkpoint %s%s%n", s.checkpoint(),
                        s.state().equals("finished") ? "" : " (continue with the same command and --resume)");
            }
        }
        out.flush();
    }

    static Path defaultCheckpoint(KeySource source, String queueUrl) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest((source.describe() + "\n" + queueUrl)
                    .getBytes(StandardCharsets.UTF_8));
            return Path.of(".photopipe", "checkpoints", "backfill-" + HexFormat.of().formatHex(d, 0, 6) + ".json");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sizes such as 10KB, 5MB. */
    static final class BytesConverter implements picocli.CommandLine.ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            return Units.parseBytes(value);
        }
    }

    /** Rates such as 200 or 200/s. */
    static final class RateConverter implements picocli.CommandLine.ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            String v = value.endsWith("/s") ? value.substring(0, value.length() - 2) : value;
            return Double.parseDouble(v.trim());
        }
    }
}
