package io.photopipe.producer;

import io.photopipe.local.servers.EmbeddedS3;
import io.photopipe.local.servers.EmbeddedSqs;
import io.photopipe.local.servers.LocalCredentials;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.eventnotifications.s3.model.S3EventNotification;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Embedded S3 and SQS shared by all tests of the module (started once, ~2 s), and helpers: fast concurrent PUTs,
 * draining a queue, a client factory for the CLI pointed at the servers. Each test uses its own bucket and queues.
 */
final class Stack {
    private static final AtomicInteger IDS = new AtomicInteger();
    private static volatile Stack instance;

    final EmbeddedS3 s3Server;
    final EmbeddedSqs sqsServer;

    private Stack() {
        s3Server = EmbeddedS3.start();
        sqsServer = EmbeddedSqs.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            s3Server.close();
            sqsServer.close();
        }));
    }

    static Stack get() {
        if (instance == null) {
            synchronized (Stack.class) {
                if (instance == null) {
                    instance = new Stack();
                }
            }
        }
        return instance;
    }

    /** A bucket of 3,000 tiny objects under uploads/, created once per JVM and shared by the backfill tests. */
    record Library(String bucket, List<String> keys) {
    }

    private static volatile Library library;

    static Library library() throws Exception {
        if (library == null) {
            synchronized (Stack.class) {
                if (library == null) {
                    Stack stack = get();
                    String bucket = stack.bucket("library");
                    List<String> keys = java.util.stream.IntStream.range(0, 3000).mapToObj(i -> String.format(
                            java.util.Locale.ROOT, "uploads/%02d/photo %04d.jpg", i % 17, i)).toList();
                    stack.put(bucket, keys, k -> "x");
                    library = new Library(bucket, keys);
                }
            }
        }
        return library;
    }

    S3Client s3() {
        return s3Server.client();
    }

    SqsClient sqs() {
        return sqsServer.client();
    }

    /** A name unique in this JVM run, valid for buckets and queues. */
    static String unique(String base) {
        return base + "-" + ProcessHandle.current().pid() + "-" + IDS.incrementAndGet();
    }

    String bucket(String base) {
        String name = unique(base);
        s3Server.createBucket(name);
        return name;
    }

    /** Options for {@link AwsClients} pointing at the embedded servers. */
    AwsClients.Options clientOptions(int connections) {
        return new AwsClients.Options(Region.of(LocalCredentials.REGION), s3Server.endpoint(), sqsServer.endpoint(),
                connections, LocalCredentials.provider(), Map.<String, String>of()::get);
    }

    /** The CLI, in process, talking to the embedded servers. */
    ProducerCli cli() {
        return new ProducerCli(o -> AwsClients.create(new AwsClients.Options(Region.of(LocalCredentials.REGION),
                s3Server.endpoint(), sqsServer.endpoint(), o.maxConnections(), LocalCredentials.provider(),
                Map.<String, String>of()::get)), Map.<String, String>of()::get);
    }

    /** PUTs the keys concurrently, each with {@code bodyOf(key)}. */
    void put(String bucket, Collection<String> keys, java.util.function.Function<String, String> bodyOf)
            throws Exception {
        Semaphore slots = new Semaphore(32);
        List<Future<?>> all = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (String key : keys) {
                slots.acquire();
                all.add(pool.submit(() -> {
                    try {
                        s3().putObject(r -> r.bucket(bucket).key(key), RequestBody.fromString(bodyOf.apply(key)));
                    } finally {
                        slots.release();
                    }
                }));
            }
        }
        for (Future<?> f : all) {
            f.get();
        }
    }

    /**
     * Receives and deletes every message of the queue (4 receivers in parallel) until it stays empty; returns them.
     */
    List<Message> drain(String queueUrl) throws Exception {
        Map<String, Message> got = new ConcurrentHashMap<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> f = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                f.add(pool.submit(() -> {
                    int empty = 0;
                    while (empty < 2) {
                        List<Message> ms = sqs().receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(10)
                                .waitTimeSeconds(1).visibilityTimeout(60).messageAttributeNames("All")).messages();
                        if (ms.isEmpty()) {
                            empty++;
                            continue;
                        }
                        empty = 0;
                        List<DeleteMessageBatchRequestEntry> del = new ArrayList<>();
                        for (int i = 0; i < ms.size(); i++) {
                            got.put(ms.get(i).messageId(), ms.get(i));
                            del.add(DeleteMessageBatchRequestEntry.builder().id("d" + i)
                                    .receiptHandle(ms.get(i).receiptHandle()).build());
                        }
                        sqs().deleteMessageBatch(r -> r.queueUrl(queueUrl).entries(del));
                    }
                    return null;
                }));
            }
            for (Future<?> x : f) {
                x.get();
            }
        }
        return new ArrayList<>(got.values());
    }

    /** The (decoded) object keys of re-process messages. */
    static List<String> keys(List<Message> messages) {
        return messages.stream().map(m -> S3EventNotification.fromJson(m.body()).getRecords().getFirst().getS3()
                .getObject().getUrlDecodedKey()).toList();
    }
}
