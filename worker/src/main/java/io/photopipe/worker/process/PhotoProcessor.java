package io.photopipe.worker.process;

import io.photopipe.core.OutputLayout;
import io.photopipe.core.PhotoStatus;
import io.photopipe.core.Rendition;
import io.photopipe.worker.engine.PhotoRejectedException;
import io.photopipe.worker.engine.RenderResult;
import io.photopipe.worker.engine.RenderedImage;
import io.photopipe.worker.messages.PhotoEvent;
import io.photopipe.worker.ports.ObjectStore;
import io.photopipe.worker.ports.PortException;
import io.photopipe.worker.ports.ResultsPublisher;
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
 * <p>Order of writes for a created photo: renditions first (in parallel), then the {@link PhotoStatus} document, then the results
 * message. The status document is the commit point: the idempotency check trusts it, so a crash before it is written
 * simply makes the redelivery render again (to the same keys, with the same bytes).
 */
public final class PhotoProcessor {

    /** Metadata key (sent as {@code x-amz-meta-source-etag}) recording the source ETag a rendition was made from. */
    public static final String META_SOURCE_ETAG = "source-etag";
    /** Metadata key ({@code x-amz-meta-presets-hash}) recording the presets a rendition was made with. */
    public static final String META_PRESETS_HASH = "presets-hash";
    /** Metadata key ({@code x-amz-meta-rendition}) naming the rendition. */
    public static final String META_RENDITION = "rendition";

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

    public PhotoProcessor(Settings settings, ObjectStore store, Renderer renderer, ResultsPublisher results) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.store = Objects.requireNonNull(store, "store");
        this.renderer = Objects.requireNonNull(renderer, "renderer");
        this.results = Objects.requireNonNull(results, "results");
    }

    /**
     * Processes one event.
     *
     * @param receiveCount how often the message was delivered (a redelivery re-publishes an existing result, in
     *                     case the first delivery wrote the status but failed to publish it)
     */
    public Outcome process(PhotoEvent event, int receiveCount) {
        OutputLayout layout = settings.layout();
        if (layout.isOutput(event.bucket(), event.key())) {
            return new Outcome.Skipped("output-key", "'" + event.key() + "' is under the output prefix '"
                    + layout.outputPrefix() + "': renditions are never processed (no S3 -> worker -> S3 loop)");
        }
        if (!layout.isInput(event.bucket(), event.key())) {
            return new Outcome.Skipped("not-input", "'" + event.object() + "' is not under the input location '"
                    + layout.inputBucket() + "/" + layout.inputPrefix() + "' (or is a folder marker)");
        }
        try {
            return switch (event.kind()) {
                case CREATED -> created(event, receiveCount);
                case REMOVED -> removed(event);
            };
        } catch (PortException e) {
            return new Outcome.Retry(e.code(), e.getMessage(), true);
        } catch (RuntimeException e) {
            LOG.error("unexpected failure processing {}", event.object(), e);
            return new Outcome.Retry("internal-error", "unexpected " + e, true);
        } catch (OutOfMemoryError e) {
            // Bounded by the engine's memory budget, so this should not happen; if it does, let the queue retry it
            // (and send it to the DLQ after maxReceiveCount) rather than take the whole batch down.
            return new Outcome.Retry("out-of-memory", "ran out of memory processing " + event.object(), true);
        }
    }

    private Outcome created(PhotoEvent event, int receiveCount) {
        OutputLayout layout = settings.layout();
        String statusKey = layout.statusKey(event.key());
        PhotoStatus status = readStatus(statusKey).orElse(null);
        if (!event.force() && event.eTag() != null && upToDate(status, event.eTag())) {
            return upToDate(status, receiveCount);
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
                    yield upToDate(status, receiveCount);
                }
                yield render(event, found);
            }
        };
    }

    private Outcome render(PhotoEvent event, ObjectStore.Found source) {
        OutputLayout layout = settings.layout();
        RenderResult result;
        try {
            result = renderer.render(source.bytes(), settings.renditions());
        } catch (PhotoRejectedException e) {
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

    /**
     * The renditions' PUTs at once (they are independent; S3 latency then counts once per photo, not once per
     * rendition). All of them finish, or fail, before the status document is written.
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
            for (Future<?> f : running) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    running.forEach(r -> r.cancel(true));
                    if (e.getCause() instanceof RuntimeException re) {
                        throw re;
                    }
                    throw new IllegalStateException(e.getCause());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running.forEach(r -> r.cancel(true));
            throw new PortException(PortException.S3_UNAVAILABLE, "interrupted while writing renditions", e);
        }
    }

    private Outcome reject(PhotoEvent event, String eTag, String code, String reason, Work work) {
        PhotoStatus failed = PhotoStatus.failed(event.bucket(), event.key(), eTag, settings.presetsHash(), code,
                reason);
        writeStatus(event.key(), failed);
        results.publish(failed);
        return new Outcome.Rejected(code, reason, work);
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
                status.toJson().getBytes(java.nio.charset.StandardCharsets.UTF_8), "application/json", "no-cache",
                meta);
    }
}
