package io.photopipe.producer;

import static org.assertj.core.api.Assertions.assertThat;

import io.photopipe.core.MessageAttributes;
import io.photopipe.producer.internal.Progress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.eventnotifications.s3.model.S3EventNotification;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/** Backfill against embedded S3 and SQS with the real SDK. */
class BackfillTest {
    static final int OBJECTS = 3000;
    static Stack stack;
    static String bucket;
    static List<String> keys;

    @TempDir
    Path dir;

    @BeforeAll
    static void library() throws Exception {
        stack = Stack.get();
        bucket = Stack.library().bucket();
        keys = Stack.library().keys();
    }

    String queue() {
        return stack.sqsServer.createQueue(Stack.unique("backfill"), Map.of());
    }

    Backfill backfill(String queueUrl, SendBatchPort port, int inFlight, Path checkpoint, Checkpoint resume,
                      Backfill.Listener listener) {
        return new Backfill(new ListingSource(stack.s3(), bucket, "uploads/"), ObjectFilter.all(List.of()),
                BatchSender.withDefaults(port),
                new Backfill.Options(queueUrl, "us-east-1", false, inFlight, 0, checkpoint, resume, false, 0),
                Progress.none(), listener);
    }

    @Test
    void enqueuesEveryObjectExactlyOnce() throws Exception {
        String q = queue();
        BackfillSummary s = backfill(q, SendBatchPort.of(stack.sqs()), 16, dir.resolve("cp.json"), null, null).run();

        assertThat(s.state()).isEqualTo("finished");
        assertThat(s.sent()).isEqualTo(OBJECTS);
        assertThat(s.batches()).isEqualTo(OBJECTS / 10);
        List<Message> messages = stack.drain(q);
        assertThat(Stack.keys(messages)).hasSize(OBJECTS).containsExactlyInAnyOrderElementsOf(keys);
        var record = S3EventNotification.fromJson(messages.getFirst().body()).getRecords().getFirst();
        assertThat(record.getEventName()).isEqualTo("ObjectCreated:Reprocess");
        assertThat(record.getS3().getBucket().getName()).isEqualTo(bucket);
        assertThat(record.getS3().getObject().getSizeAsLong()).isEqualTo(1);
        assertThat(record.getS3().getObject().getETag()).isEqualTo("9dd4e461268c8034f5c8564e155c67a6"); // md5("x")
        Checkpoint cp = Checkpoint.read(dir.resolve("cp.json"));
        assertThat(cp.finished()).isTrue();
        assertThat(cp.sent()).isEqualTo(OBJECTS);
    }

    @Test
    void resumeAfterACrashSkipsNothingAndResendsAtMostOneBatch() throws Exception {
        String q = queue();
        Path cp = dir.resolve("crash.json");
        // The crash comes at the worst moment: SQS has accepted batch 37, the checkpoint does not know it yet.
        Backfill.Listener crashAt37 = new Backfill.Listener() {
            @Override
            public void batchSent(long seq, Backfill b) {
                if (seq == 37) {
                    b.abort();
                }
            }
        };
        BackfillSummary first = backfill(q, SendBatchPort.of(stack.sqs()), 1, cp, null, crashAt37).run();
        assertThat(first.state()).isEqualTo("aborted");
        Checkpoint saved = Checkpoint.read(cp);
        assertThat(saved.finished()).isFalse();
        assertThat(saved.sent()).isEqualTo(370);

        BackfillSummary second = backfill(q, SendBatchPort.of(stack.sqs()), 16, cp, saved, null).run();

        assertThat(second.state()).isEqualTo("finished");
        List<String> got = Stack.keys(stack.drain(q));
        assertThat(new HashSet<>(got)).containsExactlyInAnyOrderElementsOf(keys); // none missing
        Map<String, Long> counts = got.stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        List<String> duplicated = counts.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList();
        assertThat(duplicated).hasSizeLessThanOrEqualTo(10); // at most the one batch in flight at the crash
        assertThat(got).hasSizeLessThanOrEqualTo(OBJECTS + 10);
        assertThat(Checkpoint.read(cp).finished()).isTrue();
    }

    @Test
    void ctrlCWithManyBatchesInFlightResumesWithoutAnyDuplicate() throws Exception {
        String q = queue();
        Path cp = dir.resolve("stop.json");
        Backfill.Listener stopAt50 = new Backfill.Listener() {
            @Override
            public void batchSent(long seq, Backfill b) {
                if (seq == 50) {
                    b.stop();
                }
            }
        };
        BackfillSummary first = backfill(q, SendBatchPort.of(stack.sqs()), 8, cp, null, stopAt50).run();
        assertThat(first.state()).isEqualTo("stopped");
        assertThat(first.sent()).isBetween(510L, (long) OBJECTS - 1);

        Checkpoint saved = Checkpoint.read(cp);
        BackfillSummary second = backfill(q, SendBatchPort.of(stack.sqs()), 8, cp, saved, null).run();

        assertThat(first.sent() + second.sent()).isEqualTo(OBJECTS);
        assertThat(second.alreadyDone()).isEqualTo(first.sent() - countAtOrBefore(saved.after()));
        List<String> got = Stack.keys(stack.drain(q));
        assertThat(got).hasSize(OBJECTS).containsExactlyInAnyOrderElementsOf(keys);
    }

    private static long countAtOrBefore(String after) {
        return after == null ? 0 : keys.stream().filter(k -> KeySource.compareCursors(k, after) <= 0).count();
    }

    @Test
    void aFailedEntryIsRetriedAloneAndLandsOnce() throws Exception {
        String q = queue();
        List<SendMessageBatchRequest> calls = new CopyOnWriteArrayList<>();
        AtomicBoolean failedOnce = new AtomicBoolean();
        // Our own double around the real SDK client: the first call loses its third entry with a transient,
        // server-side error (SenderFault=false), the rest reaches ElasticMQ.
        SendBatchPort flaky = request -> {
            calls.add(request);
            if (!failedOnce.compareAndSet(false, true)) {
                return stack.sqs().sendMessageBatch(request);
            }
            var victim = request.entries().get(2);
            var rest = new ArrayList<>(request.entries());
            rest.remove(2);
            SendMessageBatchResponse r = stack.sqs().sendMessageBatch(request.toBuilder().entries(rest).build());
            return r.toBuilder().failed(BatchResultErrorEntry.builder().id(victim.id()).senderFault(false)
                    .code("InternalError").message("We encountered an internal error. Please try again.").build())
                    .build();
        };
        BackfillSummary s = backfill(q, flaky, 1, dir.resolve("flaky.json"), null, null).run();

        assertThat(s.sent()).isEqualTo(OBJECTS);
        assertThat(s.failed()).isZero();
        assertThat(s.retriedEntries()).isEqualTo(1);
        assertThat(calls.get(0).entries()).hasSize(10);
        assertThat(calls.get(1).entries()).singleElement()
                .satisfies(e -> assertThat(e.messageBody()).isEqualTo(calls.get(0).entries().get(2).messageBody()));
        List<String> got = Stack.keys(stack.drain(q));
        assertThat(got).hasSize(OBJECTS).containsExactlyInAnyOrderElementsOf(keys);
    }

    @Test
    void anEntrySqsRejectsIsReportedNotRetriedAndTheOthersGoThrough() throws Exception {
        String q = queue();
        List<SendMessageBatchRequest> calls = new CopyOnWriteArrayList<>();
        BatchSender sender = BatchSender.withDefaults(r -> {
            calls.add(r);
            return stack.sqs().sendMessageBatch(r);
        });
        List<OutgoingMessage> batch = List.of(new OutgoingMessage("a", "fine", null),
                new OutgoingMessage("b", "control \u0001 character", null), new OutgoingMessage("c", "fine too", null));

        SendResult r = sender.send(q, batch);

        assertThat(r.sent()).containsExactlyInAnyOrder("a", "c");
        assertThat(r.failed()).singleElement().satisfies(f -> {
            assertThat(f.id()).isEqualTo("b");
            assertThat(f.permanent()).isTrue();
            assertThat(f.message()).contains("InvalidMessageContents");
        });
        assertThat(calls).hasSize(1);
        assertThat(stack.drain(q)).hasSize(2);
    }

    @Test
    void anObjectWhoseMessageIsTooLargeIsReportedAndTheRunEndsPartial() throws Exception {
        String b = stack.bucket("toolarge");
        String longKey = "uploads/" + "n".repeat(900) + ".jpg";
        stack.put(b, List.of("uploads/a.jpg", longKey, "uploads/z.jpg"), k -> "x");
        String q = queue();
        // A 1,500-byte payload limit: the message of the 900-character key (~2.1 KB) cannot fit in any batch.
        Backfill backfill = new Backfill(new ListingSource(stack.s3(), b, "uploads/"), ObjectFilter.all(List.of()),
                new BatchSender(SendBatchPort.of(stack.sqs()), 3,
                        io.github.resilience4j.core.IntervalFunction.of(10), 1500),
                new Backfill.Options(q, "us-east-1", false, 4, 0, dir.resolve("big.json"), null, false, 0),
                Progress.none(), null);

        BackfillSummary s = backfill.run();

        assertThat(s.sent()).isEqualTo(2);
        assertThat(s.failures()).singleElement().satisfies(f -> {
            assertThat(f.id()).isEqualTo(longKey);
            assertThat(f.code()).isEqualTo("MessageTooLarge");
        });
        assertThat(Checkpoint.read(dir.resolve("big.json")).failures()).hasSize(1);
        assertThat(Stack.keys(stack.drain(q))).containsExactlyInAnyOrder("uploads/a.jpg", "uploads/z.jpg");
    }

    @Test
    void forceSetsTheAttributeAndFiltersSelectTheRightObjects() throws Exception {
        String b = stack.bucket("filters");
        Map<String, String> objects = new HashMap<>();
        objects.put("uploads/a.jpg", "x".repeat(2000));
        objects.put("uploads/b.JPEG", "x".repeat(3000));
        objects.put("uploads/c.png", "x".repeat(2500));
        objects.put("uploads/d.txt", "x".repeat(2500));
        objects.put("uploads/tiny.jpg", "x");
        objects.put("uploads/huge.jpg", "x".repeat(50_000));
        objects.put("uploads/folder/", "");
        objects.put("renditions/uploads/a.jpg/thumb.jpg", "x".repeat(2000));
        objects.put("other/e.jpg", "x".repeat(2000));
        stack.put(b, objects.keySet(), objects::get);
        String q = queue();
        ObjectFilter filter = new ObjectFilter(List.of(), Set.of("image/jpeg", "image/png"), 1024, 10_000, null, null,
                List.of("renditions/"));
        Backfill backfill = new Backfill(new ListingSource(stack.s3(), b, ""), filter,
                BatchSender.withDefaults(SendBatchPort.of(stack.sqs())),
                new Backfill.Options(q, "us-east-1", true, 4, 0, null, null, false, 0), Progress.none(), null);

        BackfillSummary s = backfill.run();

        assertThat(s.listed()).isEqualTo(objects.size());
        assertThat(s.matched()).isEqualTo(4);
        List<Message> got = stack.drain(q);
        assertThat(Stack.keys(got)).containsExactlyInAnyOrder("uploads/a.jpg", "uploads/b.JPEG", "uploads/c.png",
                "other/e.jpg");
        assertThat(got).allSatisfy(m -> assertThat(m.messageAttributes().get(MessageAttributes.FORCE).stringValue())
                .isEqualTo("true"));
    }

    @Test
    void aDryRunCountsAndShowsTheFirstKeysAndSendsNothing() throws Exception {
        String q = queue();
        Backfill backfill = new Backfill(new ListingSource(stack.s3(), bucket, "uploads/0"),
                new ObjectFilter(List.of(".jpg"), Set.of(), 0, Long.MAX_VALUE, null, null, List.of()),
                BatchSender.withDefaults(SendBatchPort.of(stack.sqs())),
                new Backfill.Options(q, "us-east-1", false, 4, 0, null, null, true, 5), Progress.none(), null);

        BackfillSummary s = backfill.run();

        long expected = keys.stream().filter(k -> k.startsWith("uploads/0")).count();
        assertThat(s.state()).isEqualTo("dry-run");
        assertThat(s.matched()).isEqualTo(expected);
        assertThat(s.firstKeys()).hasSize(5).allMatch(k -> k.startsWith("uploads/0"));
        assertThat(Files.exists(dir.resolve("none"))).isFalse();
        assertThat(stack.drain(q)).isEmpty();
    }
}
