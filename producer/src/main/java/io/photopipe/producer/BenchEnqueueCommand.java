package io.photopipe.producer;

import io.photopipe.core.S3EventMessages;
import io.photopipe.producer.internal.Json;
import io.photopipe.producer.internal.Progress;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * {@code produce bench-enqueue}: the backfill's enqueue rate beside the raw SendMessageBatch rate of the same
 * server, in the same run. Creates a scratch bucket of N tiny objects and two scratch queues, and removes them after.
 */
@Command(name = "bench-enqueue", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Benchmark (not a test): messages/s of a backfill (ListObjectsV2 + filter + SendMessageBatch + "
                + "checkpoint after every batch) beside raw SendMessageBatch calls of the same messages at the same "
                + "concurrency, against the configured endpoints (the local stack, or AWS: it costs requests there).",
                "Creates a scratch bucket with --objects tiny objects and scratch queues, deleted afterwards."},
        footer = {"%nExample (local stack running):", "  source .photopipe/local.env && produce bench-enqueue --objects 20000"})
final class BenchEnqueueCommand implements Callable<Integer> {
    @ParentCommand
    ProducerCli cli;
    @Spec
    CommandSpec spec;
    @Mixin
    CommonOptions common;

    @Option(names = "--objects", paramLabel = "N", description = "Objects to list and enqueue (default: ${DEFAULT-VALUE}).")
    int objects = 20_000;
    @Option(names = "--max-in-flight", paramLabel = "N", description = "Batch calls in flight (default: ${DEFAULT-VALUE}).")
    int maxInFlight = 16;
    @Option(names = "--rounds", paramLabel = "N", description = "Alternate raw and backfill this many times "
            + "(default: ${DEFAULT-VALUE}); the best round of each is reported beside the mean.")
    int rounds = 2;

    /**
     * The figures.
     *
     * @param objects            messages per round
     * @param maxInFlight        batch calls in flight
     * @param rawPerSecond       raw SendMessageBatch rate of each round
     * @param listPerSecond      ListObjectsV2 keys/s of each round (the source alone)
     * @param backfillNoCheckpointPerSecond backfill rate without a checkpoint file, each round
     * @param syntheticPerSecond backfill rate from an in-memory key source (no listing), with checkpoint, each round
     * @param backfillPerSecond  backfill rate of each round
     * @param rawBest            best raw round
     * @param backfillBest       best backfill round
     * @param ratio              backfillBest / rawBest
     * @param cores              available processors
     */
    record Result(int objects, int maxInFlight, List<Double> rawPerSecond, List<Double> listPerSecond,
                  List<Double> backfillNoCheckpointPerSecond, List<Double> syntheticPerSecond,
                  List<Double> backfillPerSecond,
                  double rawBest, double backfillBest, double ratio, int cores) {
    }

    @Override
    public Integer call() throws Exception {
        String id = UUID.randomUUID().toString().substring(0, 8);
        String bucket = "photopipe-bench-" + id;
        PrintWriter err = spec.commandLine().getErr();
        try (AwsClients aws = common.clients(cli, maxInFlight + 8)) {
            S3Client s3 = aws.s3();
            SqsClient sqs = aws.sqs();
            s3.createBucket(r -> r.bucket(bucket));
            List<String> queues = new ArrayList<>();
            Path checkpoints = Files.createTempDirectory("photopipe-bench");
            try {
                err.printf(Locale.ROOT, "creating %,d objects in %s...%n", objects, bucket);
                err.flush();
                putObjects(s3, bucket, objects);
                List<Double> raw = new ArrayList<>();
                List<Double> list = new ArrayList<>();
                List<Double> noCheckpoint = new ArrayList<>();
                List<Double> synthetic = new ArrayList<>();
                List<Double> backfill = new ArrayList<>();
                for (int round = 0; round < rounds; round++) {
                    String rawQueue = createQueue(sqs, "photopipe-bench-raw-" + id + "-" + round, queues);
                    raw.add(raw(sqs, rawQueue, bucket, aws.region().id()));
                    list.add(list(s3, bucket));
                    String ncQueue = createQueue(sqs, "photopipe-bench-nocp-" + id + "-" + round, queues);
                    noCheckpoint.add(backfill(aws, ncQueue, bucket, null));
                    String synQueue = createQueue(sqs, "photopipe-bench-synthetic-" + id + "-" + round, queues);
                    synthetic.add(backfill(aws, synQueue, new SyntheticSource(bucket, objects),
                            checkpoints.resolve("syn-" + round + ".json")));
                    String bfQueue = createQueue(sqs, "photopipe-bench-backfill-" + id + "-" + round, queues);
                    backfill.add(backfill(aws, bfQueue, bucket, checkpoints.resolve("cp-" + round + ".json")));
                    err.printf(Locale.ROOT, "round %d: raw SendMessageBatch %.0f msg/s, listing %.0f keys/s, backfill "
                                    + "without checkpoint %.0f msg/s, from synthetic keys %.0f msg/s, backfill %.0f msg/s%n",
                            round + 1, raw.getLast(), list.getLast(), noCheckpoint.getLast(), synthetic.getLast(),
                            backfill.getLast());
                    err.flush();
                    for (String q : queues) {
                        sqs.deleteQueue(r -> r.queueUrl(q));
                    }
                    queues.clear();
                }
                double rawBest = raw.stream().mapToDouble(Double::doubleValue).max().orElse(0);
                double bfBest = backfill.stream().mapToDouble(Double::doubleValue).max().orElse(0);
                Result result = new Result(objects, maxInFlight, raw, list, noCheckpoint, synthetic, backfill, rawBest, bfBest,
                        rawBest == 0 ? 0 : bfBest / rawBest, Runtime.getRuntime().availableProcessors());
                PrintWriter out = spec.commandLine().getOut();
                if (common.json) {
                    out.println(Json.write(result));
                } else {
                    out.printf(Locale.ROOT, "enqueue benchmark, %,d messages, %d batch calls in flight, %d cores:%n",
                            objects, maxInFlight, result.cores());
                    out.printf(Locale.ROOT, "  raw SendMessageBatch  best %,.0f msg/s  (rounds %s)%n", rawBest, fmt(raw));
                    out.printf(Locale.ROOT, "  listing alone         best %,.0f keys/s (rounds %s)%n",
                            list.stream().mapToDouble(Double::doubleValue).max().orElse(0), fmt(list));
                    out.printf(Locale.ROOT, "  backfill, no checkpoint best %,.0f msg/s (rounds %s)%n",
                            noCheckpoint.stream().mapToDouble(Double::doubleValue).max().orElse(0), fmt(noCheckpoint));
                    out.printf(Locale.ROOT, "  backfill, synthetic keys (no S3) best %,.0f msg/s (rounds %s)%n",
                            synthetic.stream().mapToDouble(Double::doubleValue).max().orElse(0), fmt(synthetic));
                    out.printf(Locale.ROOT, "  backfill              best %,.0f msg/s  (rounds %s)  = %.0f%% of raw%n",
                            bfBest, fmt(backfill), result.ratio() * 100);
                }
                out.flush();
                return ExitCodes.OK;
            } finally {
                for (String q : queues) {
                    sqs.deleteQueue(r -> r.queueUrl(q));
                }
                deleteBucket(s3, bucket);
            }
        }
    }

    private static String fmt(List<Double> v) {
        return v.stream().map(d -> String.format(Locale.ROOT, "%.0f", d)).toList().toString();
    }

    private static String createQueue(SqsClient sqs, String name, List<String> created) {
        String url = sqs.createQueue(r -> r.queueName(name)
                .attributes(java.util.Map.of(QueueAttributeName.MESSAGE_RETENTION_PERIOD, "600"))).queueUrl();
        created.add(url);
        return url;
    }

    private double raw(SqsClient sqs, String queueUrl, String bucket, String region) throws Exception {
        BatchSender sender = BatchSender.withDefaults(SendBatchPort.of(sqs));
        List<List<OutgoingMessage>> batches = new ArrayList<>();
        List<OutgoingMessage> batch = new ArrayList<>();
        for (int i = 0; i < objects; i++) {
            String key = key(i);
            batch.add(new OutgoingMessage(key, S3EventMessages.reprocess(region, bucket, key, 5, "0"), null));
            if (batch.size() == BatchSender.MAX_ENTRIES) {
                batches.add(batch);
                batch = new ArrayList<>();
            }
        }
        if (!batch.isEmpty()) {
            batches.add(batch);
        }
        Semaphore slots = new Semaphore(maxInFlight);
        long t0 = System.nanoTime();
        List<Future<SendResult>> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (List<OutgoingMessage> b : batches) {
                slots.acquire();
                results.add(pool.submit(() -> {
                    try {
                        return sender.send(queueUrl, b);
                    } finally {
                        slots.release();
                    }
                }));
            }
        }
        long sent = 0;
        for (Future<SendResult> f : results) {
            sent += f.get().sent().size();
        }
        return sent * 1e9 / (System.nanoTime() - t0);
    }

    private static double list(S3Client s3, String bucket) {
        long t0 = System.nanoTime();
        long n = 0;
        var it = new ListingSource(s3, bucket, "").open(null);
        while (it.hasNext()) {
            it.next();
            n++;
        }
        return n * 1e9 / (System.nanoTime() - t0);
    }

    private double backfill(AwsClients aws, String queueUrl, String bucket, Path checkpoint) throws Exception {
        return backfill(aws, queueUrl, new ListingSource(aws.s3(), bucket, ""), checkpoint);
    }

    private double backfill(AwsClients aws, String queueUrl, KeySource source, Path checkpoint) throws Exception {
        Backfill b = new Backfill(source, ObjectFilter.all(List.of()),
                BatchSender.withDefaults(SendBatchPort.of(aws.sqs())),
                new Backfill.Options(queueUrl, aws.region().id(), false, maxInFlight, 0, checkpoint, null, false, 0),
                Progress.none(), null);
        BackfillSummary s = b.run();
        if (s.sent() != objects) {
            throw new IllegalStateException("backfill sent " + s.sent() + " of " + objects + ": " + s.failures());
        }
        return s.messagesPerSecond();
    }

    /** The same keys as the scratch bucket, from memory: the backfill without the cost of listing. */
    private record SyntheticSource(String bucket, int n) implements KeySource {
        @Override
        public java.util.Iterator<ObjectRef> open(String afterCursor) {
            return java.util.stream.IntStream.range(0, n).mapToObj(i -> new ObjectRef(bucket, key(i), 1,
                    "9dd4e461268c8034f5c8564e155c67a6", null, key(i))).iterator();
        }

        @Override
        public String describe() {
            return "synthetic:" + bucket;
        }
    }

    private static String key(int i) {
        return String.format(Locale.ROOT, "uploads/bench/%07d.jpg", i);
    }

    private void putObjects(S3Client s3, String bucket, int n) throws Exception {
        Semaphore slots = new Semaphore(32);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
             Progress p = Progress.bar(common.progress(), "objects", n, "obj")) {
            List<Future<?>> f = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String key = key(i);
                slots.acquire();
                f.add(pool.submit(() -> {
                    try {
                        s3.putObject(r -> r.bucket(bucket).key(key), RequestBody.fromString("x"));
                        p.step(1);
                    } finally {
                        slots.release();
                    }
                }));
            }
            for (Future<?> x : f) {
                x.get();
            }
        }
    }

    private static void deleteBucket(S3Client s3, String bucket) {
        try {
            for (var page : s3.listObjectsV2Paginator(r -> r.bucket(bucket))) {
                if (!page.contents().isEmpty()) {
                    List<ObjectIdentifier> ids = page.contents().stream()
                            .map(o -> ObjectIdentifier.builder().key(o.key()).build()).toList();
                    s3.deleteObjects(r -> r.bucket(bucket).delete(d -> d.objects(ids).quiet(true)));
                }
            }
            s3.deleteBucket(r -> r.bucket(bucket));
        } catch (RuntimeException e) {
            // scratch data: leave it rather than hide the figures
        }
    }

}
