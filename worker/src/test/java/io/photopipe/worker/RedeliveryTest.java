package io.photopipe.worker;

import static io.photopipe.worker.testing.WorkerHarness.failedIds;
import static org.assertj.core.api.Assertions.assertThat;

import io.photopipe.core.FunctionEnv;
import io.photopipe.core.MessageAttributes;
import io.photopipe.core.PhotoStatus;
import io.photopipe.core.S3EventMessages;
import io.photopipe.local.servers.S3Faults;
import io.photopipe.worker.testing.Photos;
import io.photopipe.worker.testing.WorkerHarness;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Idempotency: redeliveries, crashes half-way, re-process requests, removals. */
class RedeliveryTest {

    private static final Map<String, String> SMALL = Map.of(FunctionEnv.RENDITIONS, Photos.SMALL_PRESETS,
            // Failed messages come back after 1 s, so the test can receive the redelivery.
            WorkerConfig.VISIBILITY_BACKOFF_SECONDS, "1", WorkerConfig.VISIBILITY_BACKOFF_MAX_SECONDS, "1");

    private static Map<String, String> eTags(WorkerHarness h, String sourceKey) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String k : h.keys(h.layout().renditionPrefix(sourceKey))) {
            if (!k.endsWith("_status.json") && !k.endsWith("_attempt.json")) {
                m.put(k, h.head(k).eTag());
            }
        }
        return m;
    }

    @Test
    void aCrashHalfWayThroughTheWritesIsRepairedByTheRedeliveryAndThenSkipped() {
        try (WorkerHarness h = WorkerHarness.create(SMALL)) {
            String key = "uploads/crash/photo.jpg";
            String eTag = h.put(key, Photos.jpeg(400, 300, 7));
            String id = h.sendCreated(key, eTag);
            // The PUT of one rendition keeps failing, as if the function died while the other was already written.
            h.s3.faults().inject(S3Faults.Fault.internalError(), 1.0,
                    S3Faults.RequestMatcher.key("renditions/crash/photo\\.jpg/small\\.png").andMethod("PUT"));
            assertThat(failedIds(h.invoke(h.receive(1)))).containsExactly(id);
            assertThat(h.status(key)).isNull(); // the commit point was never reached
            assertThat(h.attempts(key).latest(id)).hasValueSatisfying(a -> assertThat(a.result())
                    .isEqualTo("s3-unavailable"));
            Map<String, String> afterCrash = eTags(h, key);
            assertThat(afterCrash).containsOnlyKeys("renditions/crash/photo.jpg/thumb.jpg");

            h.s3.faults().clear();
            var redelivered = h.receive(1);
            assertThat(redelivered.getRecords().getFirst().getAttributes()).containsEntry("ApproximateReceiveCount", "2");
            assertThat(failedIds(h.invoke(redelivered))).isEmpty();
            Map<String, String> repaired = eTags(h, key);
            assertThat(repaired).containsOnlyKeys("renditions/crash/photo.jpg/thumb.jpg",
                    "renditions/crash/photo.jpg/small.png");
            // Same bytes as before the crash: rendering is deterministic, so the rewrite changed nothing.
            assertThat(repaired.get("renditions/crash/photo.jpg/thumb.jpg"))
                    .isEqualTo(afterCrash.get("renditions/crash/photo.jpg/thumb.jpg"));
            PhotoStatus ready = h.status(key);
            assertThat(ready.state()).isEqualTo(PhotoStatus.State.READY);
            assertThat(h.attempts(key)).as("the READY status supersedes the attempt record").isNull();
            assertThat(ready.sourceETag()).isEqualTo(eTag);
            double written = h.count("photopipe.renditions.written");

            // S3 delivers the same event again (at-least-once): nothing is decoded or written.
            h.sendCreated(key, eTag);
            assertThat(failedIds(h.invoke(h.receive(1)))).isEmpty();
            assertThat(h.count("photopipe.renditions.written")).isEqualTo(written);
            assertThat(h.count("photopipe.messages", "outcome", "skipped", "reason", "up-to-date")).isEqualTo(1);
            assertThat(eTags(h, key)).isEqualTo(repaired);
            assertThat(h.status(key).at()).isEqualTo(ready.at());
        }
    }

    @Test
    void aResultLostAfterTheStatusWasWrittenIsPublishedByTheRedelivery() {
        try (WorkerHarness h = WorkerHarness.create(SMALL)) {
            String key = "uploads/results/photo.jpg";
            String id = h.sendCreated(key, h.put(key, Photos.jpeg(200, 150, 9)));
            String resultsName = h.resultsUrl.substring(h.resultsUrl.lastIndexOf('/') + 1);
            h.sqs.client().deleteQueue(b -> b.queueUrl(h.resultsUrl));
            assertThat(failedIds(h.invoke(h.receive(1)))).containsExactly(id);
            assertThat(h.status(key).state()).isEqualTo(PhotoStatus.State.READY);

            assertThat(h.sqs.createQueue(resultsName, Map.of())).isEqualTo(h.resultsUrl);
            assertThat(failedIds(h.invoke(h.receive(1)))).isEmpty();
            assertThat(h.count("photopipe.messages", "outcome", "skipped", "reason", "up-to-date")).isEqualTo(1);
            assertThat(h.drainResults()).singleElement().satisfies(m ->
                    assertThat(PhotoStatus.fromJson(m.body()).key()).isEqualTo(key));
        }
    }

    @Test
    void aNewUploadOfTheSameKeyReplacesTheRenditionsAndAnOldEventDoesNotUndoIt() {
        try (WorkerHarness h = WorkerHarness.create(SMALL)) {
            String key = "uploads/replace/photo.jpg";
            String first = h.put(key, Photos.jpeg(400, 300, 1));
            h.sendCreated(key, first);
            assertThat(failedIds(h.invoke(h.receive(1)))).isEmpty();
            Map<String, String> before = eTags(h, key);

            String second = h.put(key, Photos.jpeg(300, 400, 2));
            h.sendCreated(key, second);
            h.sendCreated(key, first); // a late duplicate of the first upload's event
            assertThat(failedIds(h.invoke(h.receive(2)))).isEmpty();
            PhotoStatus status = h.status(key);
            assertThat(status.sourceETag()).isEqualTo(second);
            assertThat(status.renditions().get("small").height()).isEqualTo(160); // portrait now
            assertThat(h.head(h.layout().statusKey(key)).metadata()).containsEntry("source-etag", second);
            assertThat(eTags(h, key).get("renditions/replace/photo.jpg/thumb.jpg"))
                    .isNotEqualTo(before.get("renditions/replace/photo.jpg/thumb.jpg"));
            assertThat(h.head("renditions/replace/photo.jpg/thumb.jpg").metadata()).containsEntry("source-etag", second);
        }
    }

    @Test
    void reprocessWithForceRebuildsAndChangedPresetsRebuildWithoutForce() {
        String bucket;
        String key = "uploads/force/photo.jpg";
        String eTag;
        try (WorkerHarness h = WorkerHarness.create(SMALL)) {
            bucket = h.bucket;
            eTag = h.put(key, Photos.jpeg(400, 300, 3));
            h.sendCreated(key, eTag);
            h.invoke(h.receive(1));
            String reprocess = S3EventMessages.reprocess("us-east-1", h.bucket, key, 1, eTag);
            h.send(reprocess);
            h.invoke(h.receive(1));
            assertThat(h.count("photopipe.messages", "reason", "up-to-date")).isEqualTo(1);
            h.send(reprocess, Map.of(MessageAttributes.FORCE, "true"));
            h.invoke(h.receive(1));
            assertThat(h.count("photopipe.photo.duration", "reason", "rendered")).isEqualTo(2);
        }
        // Another preset set (another hash): the same event is no longer up to date.
        String presets = Photos.SMALL_PRESETS.replace("\"quality\":0.8", "\"quality\":0.6");
        try (WorkerHarness h = WorkerHarness.forBucketKeeping(bucket, Map.of(FunctionEnv.RENDITIONS, presets))) {
            h.sendCreated(key, eTag);
            assertThat(failedIds(h.invoke(h.receive(1)))).isEmpty();
            assertThat(h.count("photopipe.photo.duration", "reason", "rendered")).isEqualTo(1);
            assertThat(h.status(key).presetsHash()).isEqualTo(h.worker.config().settings().presetsHash());
        }
    }

    @Test
    void objectRemovedDeletesThatPhotosRenditionsOnly() {
        try (WorkerHarness h = WorkerHarness.create(SMALL)) {
            String photo = "uploads/rm/a.jpg";
            String deeper = "uploads/rm/a.jpg/b.jpg"; // its renditions live under renditions/rm/a.jpg/b.jpg/
            String sibling = "uploads/rm/a.jpeg";
            // S3Proxy's file store cannot hold a.jpg and a.jpg/b.jpg at once (real S3 can), so the deeper source
            // is processed and deleted first; its renditions stay, which is what matters here.
            h.sendCreated(deeper, h.put(deeper, Photos.jpeg(200, 150, 1)));
            assertThat(failedIds(h.invoke(h.receive(1)))).isEmpty();
            h.s3.client().deleteObject(b -> b.bucket(h.bucket).key(deeper));
            for (String k : List.of(photo, sibling)) {
                h.sendCreated(k, h.put(k, Photos.jpeg(200, 150, k.length())));
            }
            assertThat(failedIds(h.invoke(h.receive(2)))).isEmpty();
            List<String> all = h.keys("renditions/rm/");
            assertThat(all).hasSize(9);

            // Removal while the photo still exists (an out-of-order event): renditions stay.
            String early = h.sendRemoved(photo);
            assertThat(failedIds(h.invoke(h.receive(1)))).isEmpty();
            assertThat(h.logLines()).filteredOn(l -> l.contains(early)).singleElement().asString()
                    .contains("source-exists");
            assertThat(h.keys("renditions/rm/")).isEqualTo(all);

            h.s3.client().deleteObject(b -> b.bucket(h.bucket).key(photo));
            h.sendRemoved(photo);
            assertThat(failedIds(h.invoke(h.receive(1)))).isEmpty();
            assertThat(h.keys("renditions/rm/")).containsExactlyInAnyOrder(
                    "renditions/rm/a.jpg/b.jpg/thumb.jpg", "renditions/rm/a.jpg/b.jpg/small.png",
                    "renditions/rm/a.jpg/b.jpg/_status.json", "renditions/rm/a.jpeg/thumb.jpg",
                    "renditions/rm/a.jpeg/small.png", "renditions/rm/a.jpeg/_status.json");
            assertThat(h.count("photopipe.messages", "outcome", "done", "reason", "removed")).isEqualTo(1);
        }
    }

    @Test
    void keysUnderTheOutputPrefixOrOutsideTheInputPrefixAreNeverProcessed() {
        try (WorkerHarness h = WorkerHarness.create(SMALL)) {
            String loop = "renditions/x.jpg/thumb.jpg";
            String outside = "elsewhere/x.jpg";
            h.put(loop, Photos.jpeg(50, 50, 1));
            h.put(outside, Photos.jpeg(50, 50, 1));
            String a = h.sendCreated(loop, null);
            String b = h.sendCreated(outside, null);
            String gone = h.sendCreated("uploads/never-uploaded.jpg", "0123");
            assertThat(failedIds(h.invoke(h.receive(3)))).isEmpty();
            assertThat(h.keys("renditions/")).containsExactly(loop);
            assertThat(h.logLines()).filteredOn(l -> l.contains(a)).singleElement().asString().contains("output-key");
            assertThat(h.logLines()).filteredOn(l -> l.contains(b)).singleElement().asString().contains("not-input");
            assertThat(h.logLines()).filteredOn(l -> l.contains(gone)).singleElement().asString()
                    .contains("source-gone");
            assertThat(h.drainDlq()).isEmpty();
        }
    }
}
