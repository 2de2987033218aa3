package io.photopipe.local.servers;

import io.photopipe.local.servers.internal.ElasticMq;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.SqsClientBuilder;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueNameExistsException;

import java.net.URI;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * An SQS server on the loopback interface: ElasticMQ, in memory or with its messages in an H2 file store that
 * survives restarts. Start it, point any SQS client at {@link #endpoint()} with {@link LocalCredentials}, close it.
 *
 * <pre>{@code
 * try (EmbeddedSqs sqs = EmbeddedSqs.start()) {
 *     EmbeddedSqs.QueuePair q = sqs.createQueueWithDlq("uploads", "uploads-dlq", 3, 30);
 *     sqs.client().sendMessage(b -> b.queueUrl(q.queueUrl()).messageBody("hello"));
 * }
 * }</pre>
 */
public final class EmbeddedSqs implements AutoCloseable {

    /** Longest retention SQS allows (14 days), used for dead-letter queues so nothing expires while it waits. */
    public static final int MAX_RETENTION_SECONDS = 1_209_600;

    /**
     * How to start the server.
     *
     * @param host           interface to bind, default {@code 127.0.0.1}
     * @param port           port to bind, 0 for a free one
     * @param persistenceDir null to keep everything in memory; otherwise a directory for an H2 file store that keeps
     *                       queues and messages across restarts (only one persistent server per JVM: ElasticMQ's
     *                       H2 connection pool is a JVM-wide singleton)
     */
    public record Options(String host, int port, Path persistenceDir) {
        /** Fills defaults and validates. */
        public Options {
            host = host == null || host.isBlank() ? "127.0.0.1" : host;
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0 (any free port) or 1-65535, was " + port);
            }
        }

        /** 127.0.0.1, a free port, in memory. */
        public static Options defaults() {
            return new Options("127.0.0.1", 0, null);
        }

        /** These options on another port. */
        public Options withPort(int newPort) {
            return new Options(host, newPort, persistenceDir);
        }

        /** These options with an H2 file store in {@code dir} (null for in memory). */
        public Options withPersistenceDir(Path dir) {
            return new Options(host, port, dir);
        }
    }

    /**
     * A work queue and its dead-letter queue.
     *
     * @param queueUrl the work queue's URL
     * @param dlqUrl   the dead-letter queue's URL
     * @param queueArn the work queue's ARN
     * @param dlqArn   the dead-letter queue's ARN
     */
    public record QueuePair(String queueUrl, String dlqUrl, String queueArn, String dlqArn) {
    }

    private volatile ElasticMq server; // null while stopped
    private final int port;
    private final URI endpoint;
    private final Options options;
    private volatile SqsClient client;

    private EmbeddedSqs(ElasticMq server, Options options) {
        this.server = server;
        this.options = options;
        this.port = server.port();
        String host = options.host().equals("0.0.0.0") ? "127.0.0.1" : options.host();
        this.endpoint = URI.create("http://" + host + ":" + port);
    }

    /** Starts on 127.0.0.1, a free port, in memory. */
    public static EmbeddedSqs start() {
        return start(Options.defaults());
    }

    /**
     * Starts with {@code options}.
     *
     * @throws IllegalStateException when the server cannot start (the message says why)
     */
    public static EmbeddedSqs start(Options options) {
        Objects.requireNonNull(options, "options");
        return new EmbeddedSqs(ElasticMq.start(options.host(), options.port(), options.persistenceDir()), options);
    }

    /** The endpoint clients use, e.g. {@code http://127.0.0.1:9324}. */
    public URI endpoint() {
        return endpoint;
    }

    /** The bound port (kept across {@link #stop()} and {@link #restart()}). */
    public int port() {
        return port;
    }

    /** Whether it is serving (false after {@link #stop()}, until {@link #restart()}). */
    public boolean running() {
        return server != null;
    }

    /**
     * Stops serving, as in an SQS outage: the port closes (clients get connection errors), requests in flight get
     * two seconds to finish, and a persistent store is closed with every acknowledged change on disk. Does nothing
     * when already stopped. {@link #restart()} brings it back; {@link #close()} ends it.
     */
    public synchronized void stop() {
        ElasticMq s = server;
        server = null;
        if (s != null) {
            s.stop();
        }
    }

    /**
     * Starts again after {@link #stop()} on the same port, with the queues and messages of the persistent store
     * (messages that were in flight come back when their visibility timeout ends, as after a restart of SQS). Does
     * nothing when running.
     *
     * @throws IllegalStateException for an in-memory server (its queues ended with the stop), or when the port was
     *                               taken meanwhile
     */
    public synchronized void restart() {
        if (server != null) {
            return;
        }
        if (options.persistenceDir() == null) {
            throw new IllegalStateException("an in-memory EmbeddedSqs lost its queues when it stopped; only a "
                    + "persistent one (Options.withPersistenceDir) can restart");
        }
        server = ElasticMq.start(options.host(), port, options.persistenceDir());
    }

    /** The options this server was started with. */
    public Options options() {
        return options;
    }

    /** A client builder already pointed at this server (endpoint, local credentials and region, Apache 5 HTTP). */
    public SqsClientBuilder clientBuilder() {
        return SqsClient.builder()
                .endpointOverride(endpoint)
                .region(Region.of(LocalCredentials.REGION))
                .credentialsProvider(LocalCredentials.provider())
                .httpClientBuilder(Apache5HttpClient.builder());
    }

    /** A shared client for this server; closed by {@link #close()}, do not close it yourself. */
    public SqsClient client() {
        SqsClient c = client;
        if (c == null) {
            synchronized (this) {
                c = client;
                if (c == null) {
                    c = clientBuilder().build();
                    client = c;
                }
            }
        }
        return c;
    }

    /**
     * Creates a queue, or brings an existing one to {@code attributes}; returns its URL.
     *
     * @param name       queue name (end it in {@code .fifo} and pass {@code FIFO_QUEUE=true} for a FIFO queue)
     * @param attributes attributes to set, may be empty
     */
    public String createQueue(String name, Map<QueueAttributeName, String> attributes) {
        Objects.requireNonNull(name, "name");
        Map<QueueAttributeName, String> attrs = attributes == null ? Map.of() : attributes;
        try {
            return client().createQueue(b -> b.queueName(name).attributes(attrs)).queueUrl();
        } catch (QueueNameExistsException e) {
            // Same name, other attributes: converge instead of failing, so a restart with new settings works.
            String url = client().getQueueUrl(b -> b.queueName(name)).queueUrl();
            Map<QueueAttributeName, String> settable = new EnumMap<>(attrs);
            settable.remove(QueueAttributeName.FIFO_QUEUE); // immutable after creation
            if (!settable.isEmpty()) {
                client().setQueueAttributes(b -> b.queueUrl(url).attributes(settable));
            }
            return url;
        }
    }

    /**
     * Creates (or updates) a work queue and its dead-letter queue: the DLQ keeps messages for the maximum 14 days,
     * the work queue gets {@code VisibilityTimeout} and a {@code RedrivePolicy} that moves a message to the DLQ after
     * {@code maxReceiveCount} receives (as SQS does; see
     * <a href="https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html">
     * SQS dead-letter queues</a>).
     */
    public QueuePair createQueueWithDlq(String name, String dlqName, int maxReceiveCount, int visibilityTimeoutSeconds) {
        if (maxReceiveCount < 1 || maxReceiveCount > 1000) {
            throw new IllegalArgumentException("maxReceiveCount must be 1-1000, was " + maxReceiveCount);
        }
        if (visibilityTimeoutSeconds < 0 || visibilityTimeoutSeconds > 43_200) {
            throw new IllegalArgumentException(
                    "visibilityTimeoutSeconds must be 0-43200 (12 hours), was " + visibilityTimeoutSeconds);
        }
        String dlqUrl = createQueue(dlqName,
                Map.of(QueueAttributeName.MESSAGE_RETENTION_PERIOD, Integer.toString(MAX_RETENTION_SECONDS)));
        String dlqArn = arnOf(dlqUrl);
        String redrive = "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":\"" + maxReceiveCount + "\"}";
        String queueUrl = createQueue(name, Map.of(
                QueueAttributeName.VISIBILITY_TIMEOUT, Integer.toString(visibilityTimeoutSeconds),
                QueueAttributeName.REDRIVE_POLICY, redrive));
        return new QueuePair(queueUrl, dlqUrl, arnOf(queueUrl), dlqArn);
    }

    /** The ARN of a queue, as the server reports it. */
    public String arnOf(String queueUrl) {
        return client().getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
    }

    /** Stops the server and closes the shared client. A persistent store keeps its queues and messages. */
    @Override
    public void close() {
        SqsClient c = client;
        if (c != null) {
            c.close();
        }
        stop();
    }

    @Override
    public String toString() {
        return "EmbeddedSqs[" + endpoint + (options.persistenceDir() == null ? ", in memory"
                : ", " + options.persistenceDir()) + "]";
    }
}
