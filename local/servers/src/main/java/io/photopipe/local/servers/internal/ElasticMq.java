package io.photopipe.local.servers.internal;

import io.photopipe.local.servers.LocalCredentials;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.Props;
import org.apache.pekko.pattern.Patterns;
import org.elasticmq.StrictSQSLimits$;
import org.elasticmq.actor.QueueManagerActor;
import org.elasticmq.actor.queue.QueueEvent;
import org.elasticmq.persistence.sql.SqlQueuePersistenceActor;
import org.elasticmq.persistence.sql.SqlQueuePersistenceConfig;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.elasticmq.rest.sqs.TheSQSRestServerBuilder;
import org.elasticmq.util.NowProvider;
import scala.Option;
import scala.collection.immutable.List$;
import scala.concurrent.Await;
import scala.util.Either;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Starts and stops ElasticMQ's REST server from Java, in memory or with the H2 message store.
 *
 * <p>Persistence uses the same parts as ElasticMQ's own {@code ElasticMQServer} (which is config-file driven and
 * cannot bind a dynamic port): a {@link SqlQueuePersistenceActor} is asked to restore queues and messages into a
 * {@link QueueManagerActor}, and then listens to every queue event. {@code WRITE_DELAY=0} makes H2 write each change
 * at once: with H2's default delay, a crash right after a send lost the message.
 */
public final class ElasticMq {

    // ElasticMQ's H2 connection pool is a JVM-wide singleton: two persistent servers would share (and corrupt) it.
    private static final AtomicBoolean PERSISTENT_RUNNING = new AtomicBoolean();
    private static final Duration RESTORE_TIMEOUT = Duration.ofSeconds(30);

    private final SQSRestServer server;
    private final ActorSystem ownSystem; // always ours: terminated on stop
    private final boolean persistent;
    private final int port;

    private ElasticMq(SQSRestServer server, ActorSystem ownSystem, boolean persistent) {
        this.server = server;
        this.ownSystem = ownSystem;
        this.persistent = persistent;
        this.port = server.waitUntilStarted().localAddress().getPort();
    }

    /**
     * Starts the server; {@code persistenceDir} null keeps everything in memory.
     *
     * @throws IllegalStateException when it cannot start, or a persistent server already runs in this JVM
     */
    public static ElasticMq start(String host, int port, Path persistenceDir) {
        TheSQSRestServerBuilder builder = SQSRestServerBuilder
                .withInterface(host)
                .withAWSRegion(LocalCredentials.REGION)
                .withAWSAccountId(LocalCredentials.ACCOUNT_ID);
        builder = port == 0 ? builder.withDynamicPort() : builder.withPort(port);
        boolean persistent = persistenceDir != null;
        if (persistent && !PERSISTENT_RUNNING.compareAndSet(false, true)) {
            throw new IllegalStateException("a persistent EmbeddedSqs already runs in this JVM; ElasticMQ's H2 "
                    + "store allows one per JVM (stop it first, or use an in-memory server)");
        }
        // Our own actor system in both modes, so a failed start (port taken) can be cleaned up: pekko's threads
        // are not daemons and would keep the JVM alive.
        ActorSystem system = null;
        try {
            system = ActorSystem.create("photopipe-sqs");
            builder = builder.withActorSystem(system);
            if (persistent) {
                builder = withPersistence(builder, system, persistenceDir);
            }
            return new ElasticMq(builder.start(), system, persistent);
        } catch (Exception e) {
            release(system, persistent);
            if (e instanceof UncheckedIOException || e instanceof IllegalStateException) {
                throw (RuntimeException) e;
            }
            throw new IllegalStateException("ElasticMQ did not start on " + host + ":" + port + ": " + e, e);
        }
    }

    private static TheSQSRestServerBuilder withPersistence(TheSQSRestServerBuilder builder, ActorSystem system,
                                                           Path dir) throws Exception {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create SQS persistence directory " + dir, e);
        }
        String uri = "jdbc:h2:file:" + dir.toAbsolutePath().resolve("elasticmq") + ";WRITE_DELAY=0";
        SqlQueuePersistenceConfig config = new SqlQueuePersistenceConfig(true, "org.h2.Driver", uri, "", "", false);
        ActorRef store = system.actorOf(Props.create(SqlQueuePersistenceActor.class,
                () -> new SqlQueuePersistenceActor(config, List$.MODULE$.empty())));
        ActorRef queues = system.actorOf(Props.create(QueueManagerActor.class,
                () -> new QueueManagerActor(new NowProvider(), StrictSQSLimits$.MODULE$, Option.apply(store))));
        Object restored = Await.result(
                Patterns.ask(store, new QueueEvent.Restore(queues), RESTORE_TIMEOUT.toMillis()),
                scala.concurrent.duration.Duration.fromNanos(RESTORE_TIMEOUT.toNanos()));
        if (restored instanceof Either<?, ?> either && either.isLeft()) {
            throw new IllegalStateException("ElasticMQ could not restore queues from " + dir + ": "
                    + either.swap().toOption().get());
        }
        return builder.withQueueManagerActor(queues).withQueueEventListener(store);
    }

    private static void release(ActorSystem system, boolean persistent) {
        if (system != null) {
            terminate(system);
        }
        if (persistent) {
            PERSISTENT_RUNNING.set(false);
        }
    }

    private static void terminate(ActorSystem system) {
        try {
            Await.result(system.terminate(), scala.concurrent.duration.Duration.create(30, "s"));
        } catch (Exception e) {
            org.slf4j.LoggerFactory.getLogger(ElasticMq.class).warn("ElasticMQ actor system did not stop cleanly", e);
        }
    }

    /** The bound port. */
    public int port() {
        return port;
    }

    /** Stops the server (and the actor system it runs on); waits until it is down. */
    public void stop() {
        server.stopAndWait();
        terminate(ownSystem);
        if (persistent) {
            PERSISTENT_RUNNING.set(false);
        }
    }
}
