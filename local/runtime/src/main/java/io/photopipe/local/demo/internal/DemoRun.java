package io.photopipe.local.demo.internal;

import io.photopipe.core.MessageAttributes;
import io.photopipe.core.PhotoStatus;
import io.photopipe.core.PipelineSettings;
import io.photopipe.core.S3EventMessages;
import io.photopipe.local.servers.LocalCredentials;
import io.photopipe.local.stack.LocalStack;
import io.photopipe.local.stack.StackMetrics;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * The demo's phases against a running {@link LocalStack}: upload the library and a few broken files (S3
 * notifications drive the worker), wait until every file has its final status, optionally re-process the library
 * with producer-style re-process messages (a backfill), then collect the figures.
 */
public final class DemoRun {
    /** Image types the demo uploads from the library folder. */
    private static final Set<String> IMAGE_EXTENSIONS = Set.of("jpg", "jpeg", "png", "webp", "gif", "tif", "tiff",
            "bmp");
    private static final List<String> BAD_FILES = List.of("truncated.jpg", "not-a-photo.jpg", "empty.jpg");

    /** The figures of one phase (live uploads, or the backfill). */
    public record Phase(String name, int files, int ready, int failed, Duration elapsed, Percentiles latency) {
        public double photosPerSecond() {
            return elapsed.isZero() ? 0 : (ready + failed) / (elapsed.toMillis() / 1000.0);
        }
    }

    /** Everything the summary and the gallery show. */
    public record Report(List<PhotoRecord> photos, Phase upload, Phase backfill, StackMetrics metrics,
                         int renditions, long renditionBytes, List<String> unexpected) {
    }

    private final LocalStack stack;
    private final PipelineSettings settings;
    private final Path photosDir;
    private final Path workDir;
    private final boolean backfill;
    private final Duration timeout;
    private final PrintStream out;
    private final boolean terminal;
    private final List<String> unexpected = new ArrayList<>();

    public DemoRun(LocalStack stack, Path photosDir, Path workDir, boolean backfill, Duration timeout,
                   PrintStream out, boolean terminal) {
        this.stack = stack;
        this.settings = stack.settings();
        this.photosDir = photosDir;
        this.workDir = workDir;
        this.backfill = backfill;
        this.timeout = timeout;
        this.out = out;
        this.terminal = terminal;
    }

    /** The library's image files, by name. */
    public static List<Path> libraryFiles(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile).filter(f -> IMAGE_EXTENSIONS.contains(extension(f)))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the sample photos in " + dir + ": " + e.getMessage(), e);
        }
    }

    public Report run() throws Exception {
        List<Path> library = libraryFiles(photosDir);
        if (library.isEmpty()) {
            throw new IllegalStateException("no photos (" + IMAGE_EXTENSIONS + ") in " + photosDir);
        }
        List<Path> bad = extractBadFiles();
        Map<String, PhotoRecord> records = new LinkedHashMap<>();

        out.printf("Uploading %d photos and %d broken files to s3://%s/%s ...%n", library.size(), bad.size(),
                settings.bucket(), settings.inputPrefix());
        Instant uploadStart = Instant.now();
        upload(library, bad, records);
        Phase upload = await("upload", records, uploadStart);

        Phase backfillPhase = null;
        if (backfill) {
            List<PhotoRecord> ready = records.values().stream().filter(PhotoRecord::ready).toList();
            out.printf("%nBackfill: re-processing the %d ready photos through the queue (re-process messages with"
                    + " %s=true, as ./photopipe produce backfill --force sends) ...%n", ready.size(),
                    MessageAttributes.FORCE);
            Map<String, PhotoRecord> again = new LinkedHashMap<>();
            Instant backfillStart = Instant.now();
            reprocess(ready, again);
            backfillPhase = await("backfill", again, backfillStart);
            again.forEach((k, r) -> {
                if (r.status() != null) {
                    records.put(k, records.get(k).withStatus(r.status()));
                }
            });
        }
        awaitIdle();
        collectDlqReasons(records);
        checkExpectations(records.values());

        int renditions = 0;
        long bytes = 0;
        for (PhotoRecord r : records.values()) {
            if (r.ready()) {
                renditions += r.status().renditions().size();
                bytes += r.status().renditions().values().stream().mapToLong(PhotoStatus.Output::bytes).sum();
            }
        }
        return new Report(List.copyOf(records.values()), upload, backfillPhase, stack.metrics(), renditions, bytes,
                List.copyOf(unexpected));
    }

    private List<Path> extractBadFiles() throws IOException {
        Path dir = workDir.resolve("bad-files");
        Files.createDirectories(dir);
        List<Path> out = new ArrayList<>();
        for (String name : BAD_FILES) {
            try (InputStream in = DemoRun.class.getResourceAsStream("/io/photopipe/local/demo/bad/" + name)) {
                if (in == null) {
                    throw new IllegalStateException("the demo's bad file " + name + " is missing from the jar");
                }
                Path f = dir.resolve(name);
                Files.write(f, in.readAllBytes());
                out.add(f);
            }
        }
        return out;
    }

    private void upload(List<Path> library, List<Path> bad, Map<String, PhotoRecord> records) throws Exception {
        S3Client s3 = stack.s3().client();
        List<Future<PhotoRecord>> futures = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            for (Path f : library) {
                futures.add(pool.submit(() -> put(s3, f, settings.inputPrefix() + "library/" + f.getFileName(),
                        false)));
            }
            for (Path f : bad) {
                futures.add(pool.submit(() -> put(s3, f, settings.inputPrefix() + "bad/" + f.getFileName(), true)));
            }
            for (Future<PhotoRecord> f : futures) {
                PhotoRecord r = f.get();
                records.put(r.key(), r);
            }
        }
    }

    private PhotoRecord put(S3Client s3, Path file, String key, boolean bad) throws IOException {
        String bucket = settings.bucket();
        byte[] bytes = Files.readAllBytes(file);
        s3.putObject(b -> b.bucket(bucket).key(key).contentType(contentType(file)), RequestBody.fromBytes(bytes));
        return new PhotoRecord(key, file, bad, bytes.length, Instant.now(), null, null);
    }

    private void reprocess(List<PhotoRecord> photos, Map<String, PhotoRecord> again) {
        SqsClient sqs = stack.sqs().client();
        Instant sentAt = Instant.now();
        for (int i = 0; i < photos.size(); i += 10) {
            List<PhotoRecord> chunk = photos.subList(i, Math.min(photos.size(), i + 10));
            List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
            for (int j = 0; j < chunk.size(); j++) {
                PhotoRecord p = chunk.get(j);
                entries.add(SendMessageBatchRequestEntry.builder().id(Integer.toString(j))
                        .messageBody(S3EventMessages.reprocess(LocalCredentials.REGION, settings.bucket(), p.key(),
                                p.bytes(), p.status().sourceETag()))
                        .messageAttributes(Map.of(MessageAttributes.FORCE, MessageAttributeValue.builder()
                                .dataType("String").stringValue("true").build()))
                        .build());
            }
            var response = sqs.sendMessageBatch(b -> b.queueUrl(stack.queues().queueUrl()).entries(entries));
            if (!response.failed().isEmpty()) {
                throw new IllegalStateException("SendMessageBatch refused re-process messages: " + response.failed());
            }
            for (PhotoRecord p : chunk) {
                again.put(p.key(), new PhotoRecord(p.key(), p.source(), false, p.bytes(), sentAt, null, null));
            }
        }
    }

    /**
     * Waits until every record has a final status newer than the phase's start, from the results queue (the
     * worker's completion notices), checking the status documents themselves now and then.
     */
    private Phase await(String phase, Map<String, PhotoRecord> records, Instant start) throws InterruptedException {
        SqsClient sqs = stack.sqs().client();
        long deadline = System.nanoTime() + timeout.toNanos();
        long nextDocCheck = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        Instant last = start;
        while (pending(records) > 0 && System.nanoTime() < deadline) {
            List<Message> messages = sqs.receiveMessage(b -> b.queueUrl(stack.resultsQueueUrl())
                    .maxNumberOfMessages(10).waitTimeSeconds(1)).messages();
            for (Message m : messages) {
                try {
                    PhotoStatus s = PhotoStatus.fromJson(m.body());
                    PhotoRecord r = records.get(s.key());
                    if (r != null && r.status() == null && !s.at().isBefore(start)) {
                        records.put(s.key(), r.withStatus(s));
                    }
                } catch (IllegalArgumentException e) {
                    // not a status document: not ours to judge here
                }
                sqs.deleteMessage(b -> b.queueUrl(stack.resultsQueueUrl()).receiptHandle(m.receiptHandle()));
            }
            if (System.nanoTime() > nextDocCheck) {
                checkStatusDocuments(records, start);
                nextDocCheck = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            }
            progress(phase, records);
        }
        checkStatusDocuments(records, start);
        progress(phase, records);
        out.println();
        for (PhotoRecord r : records.values()) {
            if (r.status() == null) {
                unexpected.add(phase + ": no final status for " + r.key() + " after " + timeout.toSeconds() + " s");
            } else if (r.status().at().isAfter(last)) {
                last = r.status().at();
            }
        }
        List<Duration> latencies = records.values().stream().filter(r -> r.status() != null)
                .map(r -> Duration.between(r.uploadedAt(), r.status().at())).map(d -> d.isNegative() ? Duration.ZERO : d)
                .toList();
        int ready = (int) records.values().stream().filter(PhotoRecord::ready).count();
        int failed = (int) records.values().stream().filter(PhotoRecord::failed).count();
        return new Phase(phase, records.size(), ready, failed, Duration.between(start, last), Percentiles.of(latencies));
    }

    private void checkStatusDocuments(Map<String, PhotoRecord> records, Instant start) {
        S3Client s3 = stack.s3().client();
        for (PhotoRecord r : List.copyOf(records.values())) {
            if (r.status() != null) {
                continue;
            }
            try {
                PhotoStatus s = PhotoStatus.fromJson(s3.getObjectAsBytes(b -> b.bucket(settings.effectiveOutputBucket())
                        .key(settings.layout().statusKey(r.key()))).asUtf8String());
                if (!s.at().isBefore(start)) {
                    records.put(r.key(), r.withStatus(s));
                }
            } catch (NoSuchKeyException e) {
                // not yet
            }
        }
    }

    private static int pending(Map<String, PhotoRecord> records) {
        return (int) records.values().stream().filter(r -> r.status() == null).count();
    }

    private void progress(String phase, Map<String, PhotoRecord> records) {
        int done = records.size() - pending(records);
        long failed = records.values().stream().filter(PhotoRecord::failed).count();
        StackMetrics m;
        try {
            m = stack.metrics();
        } catch (RuntimeException e) {
            return;
        }
        String line = String.format(Locale.ROOT, "[%s] %d/%d done (%d failed) | queue %d | in flight %d | DLQ %d | "
                        + "envs %d (busy %d) | invocations %d | cold starts %d", phase, done, records.size(), failed,
                m.queued(), m.inFlight(), m.dlq(), m.environments(), m.busy(), m.invocations(), m.coldStarts());
        if (terminal) {
            out.print("\r\033[2K" + line);
            out.flush();
        } else {
            out.println(line);
        }
    }

    private void awaitIdle() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            StackMetrics m = stack.metrics();
            if (m.queued() == 0 && m.inFlight() == 0 && m.notificationsPending() == 0 && m.busy() == 0) {
                return;
            }
            Thread.sleep(250); // a CLI polling loop; tests use Awaitility
        }
        unexpected.add("the upload queue did not drain: " + stack.metrics().line());
    }

    /** The reason attribute of each failed file's DLQ message (the DLQ is left as it is, for inspection). */
    private void collectDlqReasons(Map<String, PhotoRecord> records) {
        Map<String, String> wanted = new LinkedHashMap<>();
        records.values().stream().filter(PhotoRecord::failed)
                .forEach(r -> wanted.put(settings.bucket() + "/" + r.key(), r.key()));
        SqsClient sqs = stack.sqs().client();
        int emptyPolls = 0;
        while (!wanted.isEmpty() && emptyPolls < 3) {
            List<Message> messages = sqs.receiveMessage(b -> b.queueUrl(stack.queues().dlqUrl())
                    .messageAttributeNames("All").maxNumberOfMessages(10).visibilityTimeout(30).waitTimeSeconds(1))
                    .messages();
            emptyPolls = messages.isEmpty() ? emptyPolls + 1 : 0;
            for (Message m : messages) {
                MessageAttributeValue object = m.messageAttributes().get(MessageAttributes.OBJECT);
                MessageAttributeValue reason = m.messageAttributes().get(MessageAttributes.REASON);
                if (object != null && wanted.containsKey(object.stringValue())) {
                    String key = wanted.remove(object.stringValue());
                    records.put(key, records.get(key).withDlqReason(reason == null ? "(no reason attribute)"
                            : reason.stringValue()));
                }
            }
        }
        for (String key : wanted.values()) {
            unexpected.add("failed photo " + key + " has no message in the DLQ");
        }
    }

    private void checkExpectations(java.util.Collection<PhotoRecord> records) {
        for (PhotoRecord r : records) {
            if (!r.expectBad() && r.failed()) {
                unexpected.add("sample photo " + r.key() + " failed: " + r.status().reasonCode() + ": "
                        + r.status().reason());
            }
            if (r.expectBad() && r.ready() && !r.key().endsWith("truncated.jpg")) {
                // A truncated JPEG may legitimately be decoded (grey fill) or refused: the engine decides.
                unexpected.add("broken file " + r.key() + " was processed as a photo");
            }
        }
    }

    static String extension(Path f) {
        String name = f.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    static String contentType(Path f) {
        return switch (extension(f)) {
            case "jpg", "jpeg" -> "image/jpeg";
            case "png" -> "image/png";
            case "webp" -> "image/webp";
            case "gif" -> "image/gif";
            case "tif", "tiff" -> "image/tiff";
            case "bmp" -> "image/bmp";
            default -> "application/octet-stream";
        };
    }
}
