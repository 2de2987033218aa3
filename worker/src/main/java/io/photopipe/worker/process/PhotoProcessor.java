package io.photopipe.worker.process;

import io.photopipe.core.AttemptRecord;
import io.photopipe.core.OutputLayout;
import io.photopipe.core.PhotoStatus;
import io.photopipe.core.ReasonCodes;
import io.photopipe.core.Rendition;
import io.photopipe.worker.engine.PhotoRejectedException;
import io.photopipe.worker.engine.RenderResult;
import io.photopipe.worker.engine.RenderedImage;
import io.photopipe.worker.messages.PhotoEvent;
import io.photopipe.worker.ports.ObjectStore;
import io.photopipe.worker.ports.PortException;
import io.photopipe.worker.ports.ResultsPublisher;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Handles one photo event: makes and writes its renditions and status document, or deletes them for a removal.
 * Knows nothing of SQS or Lambda; classifies every ending into an {@link Outcome} and never throws.
 *
 * <p>Order for a created photo: the status document and the attempt record are read (at once); a photo up to date is
 * skipped; otherwise the attempt is recorded ({@link AttemptRecord}) <em>before</em> the download, so an invocation
 * that dies during the render is recognisable later; then the renditions are written (in parallel), then the
 * {@link PhotoStatus} document, then the results message. The status document is the commit point: the idempotency
 * check trusts it, so a crash before it is written simply makes the redelivery render again (to the same keys, with
 * the same bytes).
 *
 * <p>Keys: an input key from which {@link OutputLayout#refusal} will not derive output keys is rejected as
 * {@value ReasonCodes#UNSAFE_KEY} before any S3 call (no status document either: its key would be derived from the
 * unsafe key).
 */
public final class PhotoProcessor {

    /** Metadata key (sent as {@code x-amz-meta-source-etag}) recording the source ETag a rendition was made from. */
    public static final String META_SOURCE_ETAG = "source-etag";
    /** Metadata key ({@code x-amz-meta-presets-hash}) recording the presets a rendition was made with. */
    public static final String META_PRESETS_HASH = "presets-hash";
    /** Metadata key ({@code x-amz-meta-rendition}) naming the rendition. */
    public static final String META_RENDITION = "rendition";
    /** A redelivery whose previous delivery's DLQ copy was confirmed (its acknowledgement was lost). */
    public static final String ALREADY_IN_DLQ = "already-in-dlq";
    /**
     * On a message's last delivery, this many earlier deliveries that died during the render (or fewer, when there
     * were fewer deliveries) and the photo is not rendered again: it goes to the DLQ with the history instead.
     */
    static final int DEATHS_BEFORE_REFUSAL = 2;

    private static final Logger LOG = LoggerFactory.getLogger(PhotoProcessor.class);

    /**
     * What shapes the outputs.
     *
     * @param layout         where outputs go and which keys are inputs
     * @param renditions     the presets
     * @param presetsHash    their hash, recorded on every output
     * @param maxObjectBytes sources larger than this are rejected without being downloaded
     * @param cacheControl   the Cache-Control of renditions
     */
    public record Settings(OutputLayout layout, List<Rendition> renditions, String presetsHash, long maxObjectBytes,
                           String cacheControl) {
        public Settings {
            Objects.requireNonNull(layout, "layout");
            renditions = List.copyOf(renditions);
            Objects.requireNonNull(presetsHash, "presetsHash");
            Objects.requireNonNull(cacheControl, "cacheControl");
        }
    }

    private final Settings settings;
    private final ObjectStore store;
    private final Renderer renderer;
    private final ResultsPublisher results;
    private final Attempts attempts;
    private final ExecutorService io = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("photopipe-io-", 0).factory());

    public PhotoProcessor(Settings settings, ObjectStore store, Renderer renderer, ResultsPublisher results) {
        this(settings, store, renderer, results, Clock.systemUTC());
    }

    PhotoProcessor(Settings settings, ObjectStore store, Renderer renderer, ResultsPublisher results, Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.store = Objects.requireNonNull(store, "store");
        this.renderer = Objects.requireNonNull(renderer, "renderer");
        this.results = Objects.requireNonNull(results, "results");
        this.attempts = new Attempts(store, settings.layout(), clock);
    }

    /**
     * Processes one event.
     *
     * @param delivery which messages carry it, how often they were received (a redelivery re-publishes an existing
     *                 result, in case the first delivery wrote the status but failed to publish it), and the attempt
     *                 record's state
     */
    public Outcome process(PhotoEvent event, Delivery delivery) {
        OutputLayout layout = settings.layout();
        if (layout.isOutput(event.bucket(), event.key())) {
            return new Outcome.Skipped("output-key", "'" + event.key() + "' is under the output prefix '"
                    + layout.outputPrefix() + "': renditions are never processed (no S3 -> worker -> S3 loop)");
        }
        if (!layout.isInput(event.bucket(), event.key())) {
            return new Outcome.Skipped("not-input", "'" + event.object() + "' is not under the input location '"
                    + layout.inputBucket() + "/" + layout.inputPrefix() + "' (or is a folder marker)");
        }
        Optional<String> unsafe = layout.refusal(event.key());
        if (unsafe.isPresent()) {
            // the explanation first: the key itself may be long enough to fill the DLQ's reason attribute
            return new Outcome.Rejected(ReasonCodes.UNSAFE_KEY, "no renditions can be made for this key: "
                    + unsafe.get() + ". Nothing was written; rename the object (keys of '/'-separated, non-empty "
                    + "segments other than '.' and '..', no control characters or backslashes): '" + event.object()
                    + "'");
        }
        Outcome o;
        try {
            o = switch (event.kind()) {
                case CREATED -> created(event, delivery);
                case REMOVED -> removed(event);
            };
        } catch (PortException e) {
            o = new Outcome.Retry(e.code(), e.getMessage(), true);
        } catch (java.util.concurrent.CancellationException e) {
            // the engine noticed it was abandoned (interrupted while waiting for memory): our own stop
            o = new Outcome.Retry(PortException.CANCELLED, e.getMessage(), false);
        } catch (RuntimeException e) {
            LOG.error("unexpected failure processing {}", event.object(), e);
            o = new Outcome.Retry("internal-error", "unexpected " + e, true);
        } catch (OutOfMemoryError e) {
            o = outOfMemory(event);
        }
        return settle(event, delivery, o);
    }

    /**
     * The JVM ran out of memory on this photo (the engine's budget estimate was wrong, or native code took more): a
     * transient retry, since another delivery may find an environment with room, never a rejection and never a
     * FAILED status; after {@code maxReceiveCount} deliveries it reaches the DLQ as
     * {@code retries-exhausted:out-of-memory}.
     */
    private static Outcome outOfMemory(PhotoEvent event) {
        return new Outcome.Retry(ReasonCodes.OUT_OF_MEMORY, "ran out of memory processing " + event.object()
                + "; it is retried, possibly in an environment with more room", true);
    }

    /** Ends the delivery's attempt record as the outcome says; never fails the outcome. */
    private Outcome settle(PhotoEvent event, Delivery delivery, Outcome o) {
        if (!delivery.started()) {
            return o;
        }
        try {
            if (o instanceof Outcome.Done || o instanceof Outcome.Skipped) {
                // final, and acknowledged: the status document (or the photo's absence) is the whole story
                attempts.finished(event, delivery);
            } else {
                attempts.end(event, delivery, o.code());
            }
        } catch (PortException e) {
            LOG.debug("could not end the attempt of {} as {}: {}", event.object(), o.code(), e.getMessage());
        }
        return o;
    }

    private Outcome created(PhotoEvent event, Delivery delivery) {
        OutputLayout layout = settings.layout();
        String statusKey = layout.statusKey(event.key());
        // Both documents at once; the record's read is stopped (not left retrying) when the photo ends without it.
        Future<Attempts.Read> attemptRead = io.submit(() -> attempts.read(event));
        Attempts.Read record;
        PhotoStatus status;
        try {
            status = readStatus(statusKey).orElse(null);
            if (!event.force() && event.eTag() != null && upToDate(status, event.eTag())) {
                return upToDate(status, delivery.receiveCount());
            }
            record = join(attemptRead);
        } finally {
            attemptRead.cancel(true);
        }
        Attempts.remember(delivery, record);
        Optional<Outcome> settled = alreadyInDlq(record.record(), delivery).or(() -> diedBefore(event, record.record(),
                delivery));
        if (settled.isPresent()) {
            return settled.get();
        }
        if (!attempts.begin(event, delivery)) {
            return new Outcome.Retry("deadline", "not started: the function's deadline came first", false);
        }
        ObjectStore.Fetched fetched = store.get(event.bucket(), event.key(), event.eTag(), settings.maxObjectBytes());
        if (fetched instanceof ObjectStore.ETagChanged) {
            // The object was replaced after this event was sent. We render the current object now (its own event
            // will then find it up to date) rather than skip and depend on that event arriving.
            LOG.info("{} changed since the event (ETag {} is gone); processing the current object", event.object(),
                    event.eTag());
            fetched = store.get(event.bucket(), event.key(), null, settings.maxObjectBytes());
        }
        return switch (fetched) {
            case ObjectStore.Missing m -> new Outcome.Skipped("source-gone", "'" + event.object()
                    + "' no longer exists (deleted after the event was sent)");
            case ObjectStore.TooLarge t -> reject(event, null, PhotoRejectedException.TOO_LARGE, "the photo is "
                    + t.size() + " bytes, more than the limit of " + settings.maxObjectBytes()
                    + " bytes (PHOTOPIPE_MAX_OBJECT_BYTES)", Work.NONE);
            case ObjectStore.ETagChanged c -> new Outcome.Retry("source-changing", "'" + event.object()
                    + "' changed twice while being read", true);
            case ObjectStore.Found found -> {
                if (!event.force() && upToDate(status, found.eTag())) {
                    yield upToDate(status, delivery.receiveCount());
                }
                yield render(event, found);
            }
        };
    }

    /** Every message of the delivery already has a confirmed DLQ copy: acknowledge instead of copying again. */
    private static Optional<Outcome> alreadyInDlq(AttemptRecord record, Delivery delivery) {
        List<AttemptRecord.Attempt> moved = new ArrayList<>();
        for (Delivery.Message m : delivery.messages()) {
            Optional<AttemptRecord.Attempt> copy = record.of(m.id()).stream()
                    .filter(a -> a.receiveCount() < m.receiveCount() && a.dlqMessageId() != null).findFirst();
            if (copy.isEmpty()) {
                return Optional.empty();
            }
            moved.add(copy.get());
        }
        AttemptRecord.Attempt a = moved.getFirst();
        return Optional.of(new Outcome.Skipped(ALREADY_IN_DLQ, "moved to the DLQ on delivery " + a.receiveCount()
                + " as " + a.dlqMessageId() + " (" + a.result() + "); that delivery's acknowledgement was lost"));
    }

    /**
     * On a message's last delivery, after earlier deliveries died during the render ({@value #DEATHS_BEFORE_REFUSAL}
     * of them, or every earlier one when there were fewer): not rendered again blindly, which would likely kill this
     * environment too and leave the queue to move the message without a reason, but rejected with the history.
     */
    private Optional<Outcome> diedBefore(PhotoEvent event, AttemptRecord record, Delivery delivery) {
        Delivery.Message m = delivery.primary();
        if (!delivery.lastReceive(m.receiveCount()) || m.receiveCount() < 2) {
            return Optional.empty();
        }
        Instant now = attempts.now();
        List<AttemptRecord.Attempt> deaths = record.of(m.id()).stream()
                .filter(a -> a.receiveCount() < m.receiveCount() && a.died(now)).toList();
        if (deaths.size() < Math.min(DEATHS_BEFORE_REFUSAL, m.receiveCount() - 1)) {
            return Optional.empty();
        }
        String code = deaths.getLast().fate(now).orElseThrow();
        return Optional.of(reject(event, event.eTag(), code, "not rendered again on its last delivery ("
                + m.receiveCount() + " of " + delivery.maxReceiveCount() + "): " + deaths.size() + " earlier "
                + "deliveries died during the render (" + record.history(m.id(), now) + ")", Work.NONE));
    }

    private Outcome render(PhotoEvent event, ObjectStore.Found source) {
        OutputLayout layout = settings.layout();
        RenderResult result;
        try {
            result = renderer.render(source.bytes(), settings.renditions());
        } catch (PhotoRejectedException e) {
            if (ReasonCodes.OUT_OF_MEMORY.equals(e.code()) || causedByOutOfMemory(e)) {
                // A decoder that ran out of memory is not a corrupt photo (ImageIO wraps OutOfMemoryError in an
                // IIOException, which read as "corrupt" before).
                return outOfMemory(event);
            }
            return reject(event, source.eTag(), e.code(), e.getMessage(),
                    new Work(0, source.bytes().length, 0, 0, 0));
        }
        Map<String, String> metadata = Map.of(META_SOURCE_ETAG, source.eTag(),
                META_PRESETS_HASH, settings.presetsHash());
        Map<String, PhotoStatus.Output> outputs = new LinkedHashMap<>();
        long bytesOut = 0;
        long pixelsOut = 0;
        List<Runnable> puts = new ArrayList<>();
        for (RenderedImage image : result.outputs()) {
            String key = layout.renditionKey(event.key(), image.rendition());
            Map<String, String> meta = new LinkedHashMap<>(metadata);
            meta.put(META_RENDITION, image.rendition().name());
            puts.add(() -> store.put(layout.outputBucket(), key, image.bytes(), image.contentType(),
                    settings.cacheControl(), meta));
            outputs.put(image.rendition().name(), new PhotoStatus.Output(layout.outputBucket(), key,
                    image.contentType(), image.width(), image.height(), image.bytes().length));
            bytesOut += image.bytes().length;
            pixelsOut += (long) image.width() * image.height();
        }
        putAll(puts);
        PhotoStatus ready = PhotoStatus.ready(event.bucket(), event.key(), source.eTag(), settings.presetsHash(),
                outputs);
        writeStatus(event.key(), ready);
        results.publish(ready);
        Work work = new Work(outputs.size(), source.bytes().length, bytesOut, result.source().pixels(), pixelsOut);
        return new Outcome.Done("rendered", outputs.size() + " renditions of " + result.source().width() + "x"
                + result.source().height() + " " + result.source().format(), work);
    }

    /** Whether an {@link OutOfMemoryError} is anywhere in the cause chain. */
    static boolean causedByOutOfMemory(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof OutOfMemoryError) {
                return true;
            }
        }
        return false;
    }

    /**
     * The renditions' PUTs at once (they are independent; S3 latency then counts once per photo, not once per
     * rendition). All of them finish, or fail, before the status document is written. When one fails the others are
     * left to finish, not cancelled: a cancelled PUT ends as an aborted SDK call, which once counted as an S3 failure
     * (one bad PUT opened the breaker like seven), and a PUT that lands is work the retry need not redo.
     */
    private static void putAll(List<Runnable> puts) {
        if (puts.size() <= 1) {
            puts.forEach(Runnable::run);
            return;
        }
        List<Future<?>> running = new ArrayList<>(puts.size());
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Runnable put : puts) {
                running.add(threads.submit(put));
            }
            RuntimeException first = null;
            for (Future<?> f : running) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    RuntimeException failure = e.getCause() instanceof RuntimeException re ? re
                            : new IllegalStateException(e.getCause());
                    // a real failure outranks a cancellation
                    if (first == null || first instanceof PortException p && p.code().equals(PortException.CANCELLED)) {
                        first = failure;
                    }
                }
            }
            if (first != null) {
                throw first;
            }
        } catch (InterruptedException e) {
            // The photo was abandoned at the deadline: stop the PUTs (the breaker ignores these cancellations).
            Thread.currentThread().interrupt();
            running.forEach(r -> r.cancel(true));
            throw new PortException(PortException.CANCELLED, "interrupted while writing renditions", e);
        }
    }

    private Outcome reject(PhotoEvent event, String eTag, String code, String reason, Work work) {
        PhotoStatus failed = PhotoStatus.failed(event.bucket(), event.key(), eTag, settings.presetsHash(), code,
                reason);
        writeStatus(event.key(), failed);
        results.publish(failed);
        return new Outcome.Rejected(code, reason, work);
    }

    /**
     * A message on its last delivery failed again: its photo gets a FAILED status with {@code code} (unless it is
     * in fact ready for this ETag: then the message is simply acknowledged). Best effort; when S3 is what fails,
     * the DLQ copy still carries the reason.
     *
     * @return {@code up-to-date} when the photo turned out to be ready, else empty
     */
    public Optional<Outcome> giveUp(PhotoEvent event, Delivery delivery, String code, String reason) {
        if (event.kind() != PhotoEvent.Kind.CREATED || !settings.layout().isInput(event.bucket(), event.key())
                || settings.layout().refusal(event.key()).isPresent()) {
            return Optional.empty();
        }
        try {
            PhotoStatus status = readStatus(settings.layout().statusKey(event.key())).orElse(null);
            if (event.eTag() != null && upToDate(status, event.eTag())) {
                return Optional.of(upToDate(status, delivery.receiveCount()));
            }
            reject(event, event.eTag(), code, reason, Work.NONE);
        } catch (PortException e) {
            LOG.warn("could not write the FAILED status of {} ({}): {}", event.object(), code, e.getMessage());
        }
        return Optional.empty();
    }

    /** At the deadline: a render still running is recorded as {@code timed-out} (best effort). */
    public void abandoned(PhotoEvent event, Delivery delivery) {
        if (delivery.abandon()) {
            try {
                attempts.timedOut(event, delivery, ReasonCodes.TIMED_OUT);
            } catch (PortException e) {
                LOG.warn("could not record {} as timed out: {}", event.object(), e.getMessage());
            }
        }
    }

    /** The worker moved a message of this delivery to the DLQ as {@code dlqMessageId} (best effort). */
    public void movedToDlq(PhotoEvent event, Delivery delivery, String messageId, String code, String dlqMessageId) {
        if (event.kind() != PhotoEvent.Kind.CREATED || settings.layout().refusal(event.key()).isPresent()
                || !settings.layout().isInput(event.bucket(), event.key())) {
            return;
        }
        try {
            attempts.movedToDlq(event, delivery, messageId, code, dlqMessageId);
        } catch (PortException e) {
            LOG.warn("could not record the DLQ copy {} of {}: {}", dlqMessageId, event.object(), e.getMessage());
        }
    }

    private Outcome removed(PhotoEvent event) {
        if (store.exists(event.bucket(), event.key())) {
            // Events can arrive out of order: a delete followed by a new upload of the same key. The photo is there,
            // so its renditions stay (the upload's own event refreshes them).
            return new Outcome.Skipped("source-exists", "'" + event.object()
                    + "' exists again (re-uploaded after the delete); its renditions are kept");
        }
        OutputLayout layout = settings.layout();
        List<String> keys = store.list(layout.outputBucket(), layout.renditionPrefix(event.key())).stream()
                .filter(k -> layout.isRenditionOf(event.key(), k))
                .toList();
        if (keys.isEmpty()) {
            return new Outcome.Skipped("nothing-to-remove", "'" + event.object() + "' had no renditions");
        }
        store.delete(layout.outputBucket(), keys);
        return new Outcome.Done("removed", "deleted " + keys.size() + " renditions and status of '"
                + event.object() + "'", new Work(keys.size(), 0, 0, 0, 0));
    }

    private boolean upToDate(PhotoStatus status, String eTag) {
        return status != null && status.state() == PhotoStatus.State.READY && eTag.equals(status.sourceETag())
                && settings.presetsHash().equals(status.presetsHash());
    }

    private Outcome upToDate(PhotoStatus status, int receiveCount) {
        if (receiveCount > 1) {
            // A redelivery: the first delivery may have written the status and then failed to publish it.
            results.publish(status);
        }
        return new Outcome.Skipped("up-to-date", "renditions exist for ETag " + status.sourceETag()
                + " and presets " + status.presetsHash());
    }

    private Optional<PhotoStatus> readStatus(String statusKey) {
        return store.getText(settings.layout().outputBucket(), statusKey).flatMap(json -> {
            try {
                return Optional.of(PhotoStatus.fromJson(json));
            } catch (IllegalArgumentException e) {
                LOG.warn("ignoring unreadable status document {}: {}", statusKey, e.getMessage());
                return Optional.empty();
            }
        });
    }

    private void writeStatus(String sourceKey, PhotoStatus status) {
        Map<String, String> meta = new LinkedHashMap<>();
        if (status.sourceETag() != null) {
            meta.put(META_SOURCE_ETAG, status.sourceETag());
        }
        meta.put(META_PRESETS_HASH, settings.presetsHash());
        // The API reads it; it changes in place, so caches must always revalidate.
        store.put(settings.layout().outputBucket(), settings.layout().statusKey(sourceKey),
                status.toJson().getBytes(StandardCharsets.UTF_8), "application/json", "no-cache", meta);
    }

    private static <T> T join(Future<T> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            f.cancel(true);
            throw new PortException(PortException.CANCELLED, "interrupted while reading the attempt record", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        }
    }
}
