package io.photopipe.local.esm;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.photopipe.local.esm.internal.BatchItemFailures;
import io.photopipe.local.esm.internal.FilterPattern;
import io.photopipe.local.esm.internal.SqsRecords;
import io.photopipe.local.lambda.InvokeResult;
import io.photopipe.local.lambda.Invoker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;

/**
 * Lambda's SQS event source mapping: pollers that receive from the queue, batch, invoke the function synchronously,
 * delete what succeeded and leave the rest to come back after the visibility timeout (and to the DLQ after
 * maxReceiveCount, which the queue does, as in AWS). Each rule links the AWS page it comes from.
 *
 * <p>Each poller gathers one batch at a time and invokes it itself, so the number of pollers is the mapping's
 * concurrency; it starts at {@link ScalingPolicy#initial()}, grows by {@link ScalingPolicy#step()} per
 * {@link ScalingPolicy#interval()} while the queue has visible messages, never above {@code MaximumConcurrency}, and
 * a poller beyond the initial ones stops after {@link ScalingPolicy#idleScaleDown()} without messages.
 */
public final class EventSourceMapping implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventSourceMapping.class);
    /** Lambda's synchronous invocation payload cap (https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html). */
    static final long PAYLOAD_CAP = 6L * 1024 * 1024;
    /** SQS returns at most 10 messages per ReceiveMessage. */
    private static final int RECEIVE_MAX = 10;
    /** Lambda long-polls SQS (https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-scaling.html). */
    private static final int LONG_POLL_SECONDS = 20;
    private static final int DELETE_ATTEMPTS = 4;
    /**
     * How long deletes are retried while SQS cannot be reached at all (an outage), rather than given up after
     * {@link #DELETE_ATTEMPTS}: a batch that succeeded is not redelivered because SQS was down for a few seconds.
     */
    private static final Duration DELETE_PATIENCE = Duration.ofSeconds(30);
    /** On close, how long a receive in flight may still finish (and hand back what it got) before it is cut. */
    private static final Duration RECEIVE_GRACE = Duration.ofSeconds(2);

    private final SqsClient sqs;
    private final Invoker invoker;
    private final EsmConfig config;
    private final String region;
    private final List<FilterPattern> filters;
    private final ScheduledExecutorService scaler;
    private final Set<Thread> pollerThreads = ConcurrentHashMap.newKeySet();
    private final Set<Thread> receiving = ConcurrentHashMap.newKeySet();
    private final AtomicInteger pollers = new AtomicInteger();
    private final AtomicInteger maxPollers = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong deleted = new AtomicLong();
    private final AtomicLong returned = new AtomicLong();
    private final AtomicLong filtered = new AtomicLong();
    private final AtomicLong invokeErrors = new AtomicLong();
    private final AtomicLong capSplits = new AtomicLong();
    private final AtomicLong deleteFailures = new AtomicLong();
    private final AtomicInteger pollerSeq = new AtomicInteger();
    /** Set while receives fail (SQS unreachable): the failure is logged once, and its end. */
    private final java.util.concurrent.atomic.AtomicBoolean receiveFailing = new java.util.concurrent.atomic.AtomicBoolean();
    private volatile boolean running = true;

    private EventSourceMapping(SqsClient sqs, Invoker invoker, EsmConfig config) {
        this.sqs = sqs;
        this.invoker = invoker;
        this.config = config;
        this.region = regionOf(config.queueArn());
        this.filters = config.filterPatterns().stream().map(FilterPattern::parse).toList();
        this.scaler = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon()
                .name("esm-scaler-" + config.functionName()).unstarted(r));
    }

    /** Starts polling now. */
    public static EventSourceMapping start(SqsClient sqs, Invoker invoker, EsmConfig config) {
        EventSourceMapping m = new EventSourceMapping(sqs, invoker, config);
        int initial = Math.min(config.scaling().initial(), config.maximumConcurrency());
        for (int i = 0; i < initial; i++) {
            m.addPoller();
        }
        long every = config.scaling().interval().toMillis();
        m.scaler.scheduleWithFixedDelay(m::scale, every, every, TimeUnit.MILLISECONDS);
        LOG.info("event source mapping {} -> {}: batch {}, window {} s, max concurrency {}, {} poller(s)",
                config.queueUrl(), config.functionName(), config.batchSize(), config.maximumBatchingWindowSeconds(),
                config.maximumConcurrency(), initial);
        return m;
    }

    /** The configuration it runs with. */
    public EsmConfig config() {
        return config;
    }

    /** A snapshot of the counters. */
    public EsmStats stats() {
        return new EsmStats(pollers.get(), maxPollers.get(), inFlight.get(), maxInFlight.get(), batches.get(),
                received.get(), deleted.get(), returned.get(), filtered.get(), invokeErrors.get(), capSplits.get(),
                deleteFailures.get());
    }

    /**
     * Stops polling: invocations running finish and their batches are completed; receives in flight get
     * {@link #RECEIVE_GRACE} to return, and what a poller received but did not invoke is made visible again at once
     * (ChangeMessageVisibility 0), so a restart of the local stack does not wait a visibility timeout for it. A
     * receive still waiting after the grace (an empty long poll) is cut.
     */
    @Override
    public void close() {
        running = false;
        scaler.shutdownNow();
        long graceEnd = System.nanoTime() + RECEIVE_GRACE.toNanos();
        while (!receiving.isEmpty() && System.nanoTime() < graceEnd) {
            pause(Duration.ofMillis(20));
        }
        receiving.forEach(Thread::interrupt);
        for (Thread t : List.copyOf(pollerThreads)) {
            try {
                if (!t.join(Duration.ofSeconds(LONG_POLL_SECONDS + 5))) {
                    LOG.warn("poller {} did not stop", t.getName());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    // ---- scaling ----------------------------------------------------------------------------------------------

    private void addPoller() {
        int n = pollers.incrementAndGet();
        maxPollers.accumulateAndGet(n, Math::max);
        Thread t = Thread.ofVirtual().name("esm-" + config.functionName() + "-poller-" + pollerSeq.incrementAndGet())
                .unstarted(this::poll);
        pollerThreads.add(t);
        t.start();
    }

    // https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-scaling.html: "If messages are still available,
    // Lambda increases the number of processes that are reading batches by up to 300 more instances per minute",
    // bounded by MaximumConcurrency (https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-scaling.html#events-sqs-max-concurrency).
    private void scale() {
        if (!running || pollers.get() >= config.maximumConcurrency()) {
            return;
        }
        try {
            String visible = sqs.getQueueAttributes(b -> b.queueUrl(config.queueUrl())
                            .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)).attributes()
                    .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES);
            if (visible == null || Long.parseLong(visible) == 0) {
                return;
            }
            int add = Math.min(config.scaling().step(), config.maximumConcurrency() - pollers.get());
            for (int i = 0; i < add && running; i++) {
                addPoller();
            }
            LOG.debug("{}: backlog of {} message(s), now {} poller(s)", config.functionName(), visible, pollers.get());
        } catch (SdkException e) {
            LOG.debug("scaling check failed: {}", e.toString());
        }
    }

    // ---- one poller -------------------------------------------------------------------------------------------

    /** A message with its record as it will be delivered. */
    private record Item(Message message, ObjectNode record, byte[] bytes) {
    }

    private void poll() {
        java.util.ArrayDeque<Item> carry = new java.util.ArrayDeque<>();
        long lastMessageNanos = System.nanoTime();
        boolean stoppedIdle = false;
        try {
            while (running) {
                List<Item> batch = new ArrayList<>();
                boolean split = gather(batch, carry);
                if (!running) {
                    batch.addAll(carry);
                    release(batch.stream().map(Item::message).toList());
                    return;
                }
                if (split) {
                    capSplits.incrementAndGet();
                }
                if (!batch.isEmpty()) {
                    lastMessageNanos = System.nanoTime();
                    invokeAndComplete(batch);
                } else if (carry.isEmpty()
                        && System.nanoTime() - lastMessageNanos > config.scaling().idleScaleDown().toNanos()
                        && shrink()) {
                    stoppedIdle = true;
                    return;
                }
            }
        } catch (RuntimeException e) {
            LOG.error("poller of {} failed; its messages come back after the visibility timeout",
                    config.functionName(), e);
        } finally {
            pollerThreads.remove(Thread.currentThread());
            if (!stoppedIdle) {
                pollers.decrementAndGet();
                if (running) {
                    pause(Duration.ofSeconds(1)); // a poller that failed is replaced, without spinning on a fault
                    addPoller();
                }
            }
        }
    }

    private boolean shrink() {
        int floor = Math.min(config.scaling().initial(), config.maximumConcurrency());
        for (int n = pollers.get(); n > floor; n = pollers.get()) {
            if (pollers.compareAndSet(n, n - 1)) {
                LOG.debug("{}: idle poller stops, {} left", config.functionName(), n - 1);
                return true;
            }
        }
        return false;
    }

    /**
     * Fills the batch: until BatchSize records, the batching window ends, or the next record would pass the 6 MB
     * payload cap (then it and the rest wait in {@code carry} for the next batch); returns whether the cap split it.
     * https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-parameters.html#services-sqs-batching: Lambda
     * invokes the function when the batching window ends, the batch size is met, or the payload reaches 6 MB.
     */
    private boolean gather(List<Item> batch, java.util.ArrayDeque<Item> carry) {
        long recordBytes = 0;
        long windowNanos = config.maximumBatchingWindowSeconds() * 1_000_000_000L;
        long windowEnd = Long.MAX_VALUE;
        while (running) {
            // move what is waiting into the batch, while it fits
            while (!carry.isEmpty() && batch.size() < config.batchSize()) {
                Item next = carry.peekFirst();
                if (!batch.isEmpty()
                        && SqsRecords.eventSize(recordBytes + next.bytes.length, batch.size() + 1) > PAYLOAD_CAP) {
                    return true;
                }
                if (batch.isEmpty()) {
                    windowEnd = System.nanoTime() + windowNanos; // the window starts with the first record
                }
                batch.add(carry.pollFirst());
                recordBytes += next.bytes.length;
            }
            if (batch.size() >= config.batchSize()) {
                return false;
            }
            int wait;
            if (batch.isEmpty()) {
                // pollers above the floor wait less, so one that finds nothing can stop about when idleScaleDown says
                wait = pollers.get() > Math.min(config.scaling().initial(), config.maximumConcurrency())
                        ? Math.clamp((config.scaling().idleScaleDown().toMillis() + 999) / 1000, 1, LONG_POLL_SECONDS)
                        : LONG_POLL_SECONDS;
            } else if (windowNanos == 0) {
                return false; // no window: invoke with what the receive returned
            } else {
                long left = windowEnd - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                wait = (int) Math.min(LONG_POLL_SECONDS, Math.max(1, (left + 999_999_999L) / 1_000_000_000L));
            }
            List<Message> messages = receive(Math.min(RECEIVE_MAX, config.batchSize() - batch.size()), wait);
            if (messages == null || (messages.isEmpty() && batch.isEmpty() && carry.isEmpty())) {
                return false; // interrupted, failed, or nothing there: let the poller decide whether to stop
            }
            for (Message m : messages) {
                received.incrementAndGet();
                ObjectNode record = SqsRecords.record(m, config.queueArn(), region);
                // https://docs.aws.amazon.com/lambda/latest/dg/with-sqs-filtering.html: "Lambda automatically
                // deletes messages that don't match the filter criteria"
                if (!FilterPattern.anyMatches(filters, record)) {
                    filtered.incrementAndGet();
                    delete(List.of(m), true);
                    continue;
                }
                carry.addLast(new Item(m, record, SqsRecords.bytes(record)));
            }
        }
        return false;
    }

    private List<Message> receive(int max, int waitSeconds) {
        Thread me = Thread.currentThread();
        receiving.add(me);
        try {
            if (!running) {
                return null;
            }
            ReceiveMessageResponse r = sqs.receiveMessage(b -> b.queueUrl(config.queueUrl())
                    .maxNumberOfMessages(max).waitTimeSeconds(waitSeconds)
                    .messageSystemAttributeNames(MessageSystemAttributeName.ALL)
                    .messageAttributeNames("All"));
            if (receiveFailing.compareAndSet(true, false)) {
                LOG.warn("{}: ReceiveMessage works again", config.functionName());
            }
            return r.messages();
        } catch (AbortedException e) {
            return null;
        } catch (SdkException e) {
            if (running) {
                if (receiveFailing.compareAndSet(false, true)) {
                    LOG.warn("{}: ReceiveMessage failed ({}); retrying every second", config.functionName(),
                            e.getMessage());
                }
                pause(Duration.ofSeconds(1));
            }
            return null;
        } finally {
            receiving.remove(me);
            Thread.interrupted(); // an interrupt meant for the receive must not hit the invocation
        }
    }

    private void invokeAndComplete(List<Item> batch) {
        List<byte[]> records = batch.stream().map(Item::bytes).toList();
        byte[] event = SqsRecords.event(records);
        batches.incrementAndGet();
        int now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
        InvokeResult result;
        try {
            result = invoker.invoke(config.functionName(), event);
        } catch (RuntimeException e) {
            LOG.warn("{}: invocation failed: {}", config.functionName(), e.toString());
            result = null;
        } finally {
            inFlight.decrementAndGet();
        }
        List<Message> messages = batch.stream().map(Item::message).toList();
        if (result == null || !result.ok()) {
            // https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html: "If your function
            // throws an error, Lambda ... the messages in the batch become visible again after the visibility
            // timeout" (a timeout or a crashed runtime is a function error too)
            invokeErrors.incrementAndGet();
            returned.addAndGet(messages.size());
            LOG.info("{}: batch of {} failed ({}); it returns after the visibility timeout", config.functionName(),
                    messages.size(), result == null ? "invoke error" : result.errorType());
            return;
        }
        if (!config.reportBatchItemFailures()) {
            delete(messages, false);
            return;
        }
        Set<String> ids = new HashSet<>();
        messages.forEach(m -> ids.add(m.messageId()));
        StringBuilder why = new StringBuilder();
        Optional<Set<String>> failed = BatchItemFailures.parse(result.payload(), ids, why);
        if (failed.isEmpty()) {
            returned.addAndGet(messages.size());
            LOG.warn("{}: batch response treated as a complete failure: {}", config.functionName(), why);
            return;
        }
        List<Message> done = messages.stream().filter(m -> !failed.get().contains(m.messageId())).toList();
        returned.addAndGet(messages.size() - done.size());
        delete(done, false);
    }

    /** Makes received messages visible again now (best effort: if it fails they return after the visibility timeout). */
    private void release(List<Message> messages) {
        for (int from = 0; from < messages.size(); from += 10) {
            List<Message> chunk = messages.subList(from, Math.min(messages.size(), from + 10));
            List<ChangeMessageVisibilityBatchRequestEntry> entries = new ArrayList<>();
            for (int i = 0; i < chunk.size(); i++) {
                entries.add(ChangeMessageVisibilityBatchRequestEntry.builder().id(Integer.toString(i))
                        .receiptHandle(chunk.get(i).receiptHandle()).visibilityTimeout(0).build());
            }
            try {
                sqs.changeMessageVisibilityBatch(b -> b.queueUrl(config.queueUrl()).entries(entries));
                returned.addAndGet(chunk.size());
            } catch (SdkException e) {
                LOG.debug("handing back {} message(s) on close failed: {}", chunk.size(), e.toString());
            }
        }
    }

    /** DeleteMessageBatch in chunks of 10, retrying entries that failed; what still fails comes back (at least once). */
    private void delete(List<Message> messages, boolean filteredOut) {
        for (int from = 0; from < messages.size(); from += 10) {
            List<Message> chunk = messages.subList(from, Math.min(messages.size(), from + 10));
            List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>();
            for (int i = 0; i < chunk.size(); i++) {
                entries.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(i))
                        .receiptHandle(chunk.get(i).receiptHandle()).build());
            }
            long patienceEnd = System.nanoTime() + DELETE_PATIENCE.toNanos();
            for (int attempt = 1; !entries.isEmpty(); attempt++) {
                List<DeleteMessageBatchRequestEntry> todo = entries;
                boolean unreachable = false;
                try {
                    DeleteMessageBatchResponse r = sqs.deleteMessageBatch(b -> b.queueUrl(config.queueUrl()).entries(todo));
                    if (!filteredOut) {
                        deleted.addAndGet(r.successful().size());
                    }
                    Set<String> failedIds = new HashSet<>();
                    r.failed().forEach(f -> failedIds.add(f.id()));
                    entries = todo.stream().filter(e -> failedIds.contains(e.id())).toList();
                    if (!r.failed().isEmpty()) {
                        LOG.debug("DeleteMessageBatch: {} failed: {}", r.failed().size(), r.failed());
                    }
                } catch (software.amazon.awssdk.core.exception.SdkClientException e) {
                    unreachable = true; // no answer at all: SQS is down or restarting
                    LOG.debug("DeleteMessageBatch failed: {}", e.toString());
                } catch (SdkException e) {
                    LOG.debug("DeleteMessageBatch failed: {}", e.toString());
                }
                if (!entries.isEmpty()) {
                    boolean keepTrying = unreachable && running && System.nanoTime() < patienceEnd;
                    if (attempt >= DELETE_ATTEMPTS && !keepTrying) {
                        deleteFailures.addAndGet(entries.size());
                        returned.addAndGet(entries.size());
                        LOG.warn("{}: {} message(s) could not be deleted; they will be delivered again",
                                config.functionName(), entries.size());
                        break;
                    }
                    pause(Duration.ofMillis(100L << Math.min(attempt, 4)));
                }
            }
        }
    }

    private static void pause(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String regionOf(String arn) {
        String[] parts = arn.split(":");
        return parts.length > 3 && !parts[3].isEmpty() ? parts[3] : "us-east-1";
    }
}
