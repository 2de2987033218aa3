package io.photopipe.local.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import org.gaul.s3proxy.blobstore.BlobStore;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * S3 event notifications for one embedded S3, assembled: the blob store decorator to give the S3 server, the
 * bucket configurations, and the durable outbox with its sender. State lives in one directory: {@code outbox/}
 * (messages not yet accepted by SQS) and one {@code <bucket>.json} per configured bucket (so an unchanged
 * configuration re-applied at restart does not send another test event).
 */
public final class NotificationService implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Counters of the notification path. */
    public record Stats(long emitted, long filtered, long sent, int pending, long failedAttempts, String lastError) {
    }

    private final Path dir;
    private final Outbox outbox;
    private final OutboxSender sender;
    private final BucketNotifications notifications;

    private NotificationService(Path dir, Outbox outbox, OutboxSender sender, BucketNotifications notifications) {
        this.dir = dir;
        this.outbox = outbox;
        this.sender = sender;
        this.notifications = notifications;
    }

    /**
     * Opens the state in {@code dir} and starts delivering to SQS through {@code sqs} (messages left from a previous
     * run first).
     *
     * @param region the region written into records
     */
    public static NotificationService start(Path dir, SqsClient sqs, String region) {
        Outbox outbox = new Outbox(dir.resolve("outbox"), true);
        OutboxSender sender = new OutboxSender(outbox, sqs);
        BucketNotifications notifications = new BucketNotifications(outbox, region, sender::signal);
        sender.start();
        return new NotificationService(dir, outbox, sender, notifications);
    }

    /** Wraps S3Proxy's store so every object created or removed reaches the configurations. */
    public UnaryOperator<BlobStore> decorator() {
        return store -> new NotifyingBlobStore(store, notifications);
    }

    /** The listener the decorator reports to (for other S3 front ends). */
    public S3EventListener listener() {
        return notifications;
    }

    /**
     * Sets a bucket's configuration. Sends the {@code s3:TestEvent} message (as S3 does when a configuration is
     * saved) only when the configuration differs from the one saved by the previous run.
     *
     * @return whether the configuration changed (and a test event was sent)
     */
    public boolean configure(NotificationConfiguration configuration) {
        Path file = dir.resolve(configuration.bucket() + ".json");
        try {
            String json = JSON.writeValueAsString(configuration);
            boolean changed = !Files.exists(file) || !Files.readString(file).equals(json);
            notifications.configure(configuration, changed);
            if (changed) {
                Files.createDirectories(dir);
                Files.writeString(file, json);
            }
            return changed;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save the notification configuration to " + file, e);
        }
    }

    /** The bucket's configuration (empty when none). */
    public NotificationConfiguration configuration(String bucket) {
        return notifications.configuration(bucket);
    }

    public Stats stats() {
        return new Stats(notifications.emitted(), notifications.filtered(), sender.sent(), outbox.size(),
                sender.failedAttempts(), sender.lastError());
    }

    /** Stops the sender; undelivered messages stay on disk for the next start. */
    @Override
    public void close() {
        sender.close();
    }
}
