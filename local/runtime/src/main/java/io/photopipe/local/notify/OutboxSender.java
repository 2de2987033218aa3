package io.photopipe.local.notify;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResultEntry;

/**
 * Drains the {@link Outbox} into SQS on one background thread: oldest first, grouped per queue, up to 10 messages
 * per SendMessageBatch. A message leaves the outbox only once SQS has accepted it; on any failure (SQS down, queue
 * missing, a failed batch entry) it stays and is retried with exponential backoff (100 ms doubling to 5 s), so
 * notifications survive SQS being unavailable for any time and a restart of this process.
 */
public final class OutboxSender implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OutboxSender.class);
    private static final Duration MIN_BACKOFF = Duration.ofMillis(100);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);
    private static final int SQS_BATCH = 10;
    /** SendMessageBatch's total payload limit; a notification is ~1.5 KB, so this rarely binds. */
    private static final int MAX_BATCH_BYTES = 256 * 1024;

    private final Outbox outbox;
    private final SqsClient sqs;
    private final Semaphore wakeup = new Semaphore(0);
    private final Map<String, String> queueUrls = new ConcurrentHashMap<>();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong failedAttempts = new AtomicLong();
    private final AtomicReference<String> lastError = new AtomicReference<>();
    private final Thread thread;
    private volatile boolean running = true;

    public OutboxSender(Outbox outbox, SqsClient sqs) {
        this.outbox = outbox;
        this.sqs = sqs;
        this.thread = Thread.ofPlatform().daemon().name("photopipe-notifications").unstarted(this::run);
    }

    /** Starts delivering (messages already in the outbox first). */
    public OutboxSender start() {
        thread.start();
        return this;
    }

    /** Wakes the sender: a message was appended. */
    public void signal() {
        wakeup.release();
    }

    /** Messages delivered since start. */
    public long sent() {
        return sent.get();
    }

    /** Send attempts that failed and will be retried. */
    public long failedAttempts() {
        return failedAttempts.get();
    }

    /** Messages waiting in the outbox. */
    public int pending() {
        return outbox.size();
    }

    /** The last delivery error, or null. */
    public String lastError() {
        return lastError.get();
    }

    private void run() {
        Duration backoff = MIN_BACKOFF;
        while (running) {
            boolean failed;
            int delivered;
            try {
                List<Outbox.Entry> batch = outbox.pending(100);
                if (batch.isEmpty()) {
                    wakeup.tryAcquire(1, TimeUnit.SECONDS);
                    wakeup.drainPermits();
                    continue;
                }
                long before = sent.get();
                failed = deliver(batch);
                delivered = (int) (sent.get() - before);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                failed = true;
                delivered = 0;
                lastError.set(e.toString());
                LOG.warn("notification outbox: {}", e.toString());
            }
            if (failed && delivered == 0) {
                failedAttempts.incrementAndGet();
                try {
                    if (wakeupOrStop(backoff)) {
                        return;
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            } else {
                backoff = MIN_BACKOFF;
            }
        }
    }

    /** Waits the backoff (a new message does not shorten it); true when stopping. */
    private boolean wakeupOrStop(Duration backoff) throws InterruptedException {
        long deadline = System.nanoTime() + backoff.toNanos();
        while (running && System.nanoTime() < deadline) {
            TimeUnit.NANOSECONDS.sleep(Math.min(deadline - System.nanoTime(), 50_000_000L));
        }
        return !running;
    }

    /** Sends one slice of the outbox; true if anything failed. */
    private boolean deliver(List<Outbox.Entry> entries) {
        Map<String, List<Outbox.Entry>> byQueue = new LinkedHashMap<>();
        for (Outbox.Entry e : entries) {
            byQueue.computeIfAbsent(e.queueArn(), k -> new ArrayList<>()).add(e);
        }
        boolean failed = false;
        for (Map.Entry<String, List<Outbox.Entry>> q : byQueue.entrySet()) {
            String arn = q.getKey();
            try {
                String url = queueUrls.computeIfAbsent(arn, this::resolve);
                for (List<Outbox.Entry> chunk : chunks(q.getValue())) {
                    failed |= sendChunk(url, chunk);
                }
            } catch (SdkException e) {
                queueUrls.remove(arn);
                failed = true;
                if (!e.toString().equals(lastError.getAndSet(e.toString()))) {
                    LOG.warn("notifications for {} wait in the outbox ({} pending), SQS said: {}", arn,
                            q.getValue().size(), e.getMessage());
                }
            }
        }
        return failed;
    }

    private boolean sendChunk(String url, List<Outbox.Entry> chunk) {
        List<SendMessageBatchRequestEntry> requests = new ArrayList<>(chunk.size());
        for (int i = 0; i < chunk.size(); i++) {
            requests.add(SendMessageBatchRequestEntry.builder().id(Integer.toString(i))
                    .messageBody(chunk.get(i).body()).build());
        }
        SendMessageBatchResponse response = sqs.sendMessageBatch(b -> b.queueUrl(url).entries(requests));
        for (SendMessageBatchResultEntry ok : response.successful()) {
            outbox.remove(chunk.get(Integer.parseInt(ok.id())));
            sent.incrementAndGet();
        }
        for (BatchResultErrorEntry err : response.failed()) {
            lastError.set(err.code() + ": " + err.message());
            LOG.warn("notification {} to {} not accepted ({}: {}); retrying", chunk.get(Integer.parseInt(err.id()))
                    .sequence(), url, err.code(), err.message());
        }
        return !response.failed().isEmpty();
    }

    private String resolve(String queueArn) {
        String name = queueArn.substring(queueArn.lastIndexOf(':') + 1);
        return sqs.getQueueUrl(b -> b.queueName(name)).queueUrl();
    }

    private static List<List<Outbox.Entry>> chunks(List<Outbox.Entry> entries) {
        List<List<Outbox.Entry>> out = new ArrayList<>();
        List<Outbox.Entry> current = new ArrayList<>();
        int bytes = 0;
        for (Outbox.Entry e : entries) {
            int size = e.body().length() * 3; // worst case UTF-8
            if (!current.isEmpty() && (current.size() == SQS_BATCH || bytes + size > MAX_BATCH_BYTES)) {
                out.add(current);
                current = new ArrayList<>();
                bytes = 0;
            }
            current.add(e);
            bytes += size;
        }
        if (!current.isEmpty()) {
            out.add(current);
        }
        return out;
    }

    /** Stops the sender; undelivered messages stay in the outbox for the next start. */
    @Override
    public void close() {
        running = false;
        wakeup.release();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
