package io.photopipe.producer;

import io.photopipe.core.AttemptRecord;
import io.photopipe.core.OutputLayout;
import io.photopipe.core.PhotoStatus;
import io.photopipe.core.PipelineSettings;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * Names the reason of DLQ messages that carry none: the queue's redrive policy moved them after their last delivery
 * because the worker never answered (its environment died: an OOM kill, a crash, a timeout). The worker records every
 * delivery in the photo's attempt record before it downloads the photo, so the record says what happened:
 * {@code crashed-during-render}, {@code timed-out}, or {@code retries-exhausted:<cause>}; a FAILED status for the
 * message's ETag (written before a DLQ copy that then failed) says it even better. Two small GETs per such message,
 * in parallel; messages with the worker's reason are left as they are.
 */
final class DlqReasons implements UnaryOperator<DlqMessage> {
    private final S3Client s3;
    private final PipelineSettings settings;
    private final Clock clock;

    DlqReasons(S3Client s3, PipelineSettings settings, Clock clock) {
        this.s3 = s3;
        this.settings = settings;
        this.clock = clock;
    }

    @Override
    public DlqMessage apply(DlqMessage m) {
        if (!DlqMessage.NO_REASON.equals(m.reasonCode())) {
            return m;
        }
        Optional<DlqMessage.Photo> photo = DlqMessage.photoOf(m.body());
        if (photo.isEmpty()) {
            return m;
        }
        DlqMessage.Photo p = photo.get();
        OutputLayout layout = new OutputLayout(p.bucket(), settings.inputPrefix(),
                settings.outputBucket().isEmpty() ? p.bucket() : settings.outputBucket(), settings.outputPrefix());
        if (layout.refusal(p.key()).isPresent()) {
            return m; // the worker derives no documents from such a key
        }
        try {
            Optional<PhotoStatus> status = read(layout.outputBucket(), layout.statusKey(p.key())).map(PhotoStatus::fromJson);
            if (status.isPresent() && status.get().state() == PhotoStatus.State.FAILED
                    && (p.eTag() == null || status.get().sourceETag() == null || p.eTag().equals(status.get().sourceETag()))) {
                return m.explained(status.get().reasonCode(), status.get().reason(), DlqMessage.FROM_STATUS);
            }
            Optional<AttemptRecord> record = read(layout.outputBucket(), layout.attemptKey(p.key()))
                    .map(AttemptRecord::fromJson);
            if (record.isPresent()) {
                String id = m.attributes().getOrDefault(io.photopipe.core.MessageAttributes.ORIGINAL_MESSAGE_ID,
                        m.messageId());
                Optional<String> code = record.get().reasonFor(m.messageId(), clock.instant())
                        .or(() -> record.get().reasonFor(id, clock.instant()));
                if (code.isPresent()) {
                    return m.explained(code.get(), "moved by the queue after its last delivery; the worker's attempt "
                            + "record says: " + record.get().history(m.messageId(), clock.instant()),
                            DlqMessage.FROM_ATTEMPTS);
                }
            }
        } catch (SdkException | IllegalArgumentException e) {
            return m; // the documents cannot be read (or are not ours): no better reason than none
        }
        return m;
    }

    /** All of them, the look-ups in parallel. */
    List<DlqMessage> explain(List<DlqMessage> messages) {
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<DlqMessage>> out = new ArrayList<>();
            for (DlqMessage m : messages) {
                out.add(threads.submit(() -> apply(m)));
            }
            List<DlqMessage> result = new ArrayList<>(messages.size());
            for (int i = 0; i < out.size(); i++) {
                try {
                    result.add(out.get(i).get());
                } catch (ExecutionException e) {
                    result.add(messages.get(i));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    result.add(messages.get(i));
                }
            }
            return result;
        }
    }

    private Optional<String> read(String bucket, String key) {
        try {
            return Optional.of(s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asUtf8String());
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        }
    }
}
