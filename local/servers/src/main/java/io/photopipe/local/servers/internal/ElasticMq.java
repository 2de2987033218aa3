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
import org.apache.pekko.http.scaladsl.Http;
import scalikejdbc.ConnectionPool$;
import scalikejdbc.ConnectionPoolSettings;
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
 *
 * <p>Stopping is ordered: the HTTP binding first (requests still running get {@link #STOP_DEADLINE} to finish,
 * long polls included, then are cut), then the actors (a queue actor answers a client only after the store has the
 * change, so what a client saw acknowledged is on disk), then the H2 pool. {@code DB_CLOSE_ON_EXIT=FALSE} keeps H2's
 * own shutdown hook from closing the database under running queue actors when the JVM exits: that race logged
 * "Database is already closed" and "Failed to notify queue event listener. The state may be inconsistent" on every
 * SIGTERM of the local stack. ElasticMQ opens its JDBC pool once per JVM (a singleton that it never reopens), so
 * this class opens it itself on every start: a stopped store can start again in the same JVM, on the same data
 * (an SQS outage), or on another directory.
 */
public final class ElasticMq {

    // ElasticMQ's H2 connection pool is a JVM-wide singleton: two persistent servers would share (and corrupt) it.
    private static final AtomicBoolean PERSISTENT_RUNNING = new AtomicBoolean();
    private static final Duration RESTORE_TIMEOUT = Duration.ofSeconds(30);
    /** How long requests in flight (long polls included) may still run once a stop begins. */
    static final Duration STOP_DEADLINE = Duration.ofSeconds(2);

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
            // We stop the actor system ourselves, in order (see stop()); pekko's own JVM hook would terminate it
            // under the running stack, and registering that hook late (during a shutdown) only logs a warning.
            system = ActorSystem.create("photopipe-sqs", com.typesafe.config.ConfigFactory.parseString(
                    "pekko.coordinated-shutdown.run-by-jvm-shutdown-hook = off")
                    .withFallback(com.typesafe.config.ConfigFactory.load()));
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
        String uri = "jdbc:h2:file:" + dir.toAbsolutePath().resolve("elasticmq") + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE";
        openPool(uri);
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

    /** (Re)opens the JVM-wide pool ElasticMQ's store uses, on {@code uri} (replacing one left from a stop). */
    private static void openPool(String uri) {
        var pools = ConnectionPool$.MODULE$;
        ConnectionPoolSettings settings = pools.singleton$default$4();
        pools.singleton(uri, "", "", settings, pools.singleton$default$5(uri, "", "", settings));
    }

    private static void closePool() {
        try {
            ConnectionPool$.MODULE$.closeAll(); // the last connection closes the H2 database (DB_CLOSE_DELAY=0)
        } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(ElasticMq.class).warn("closing the SQS store failed", e);
        }
    }

    private static void release(ActorSystem system, boolean persistent) {
        if (system != null) {
            terminate(system);
        }
        if (persistent) {
            closePool();
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

    /** Stops serving, then the actors, then the store (see the class comment); waits until all are down. */
    public void stop() {
        try {
            Http.ServerBinding binding = Await.result(server.startFuture(),
                    scala.concurrent.duration.Duration.create(10, "s"));
            Await.result(binding.terminate(scala.concurrent.duration.Duration.fromNanos(STOP_DEADLINE.toNanos())),
                    scala.concurrent.duration.Duration.create(30, "s"));
        } catch (Exception e) {
            org.slf4j.LoggerFactory.getLogger(ElasticMq.class).warn("ElasticMQ HTTP server did not stop cleanly", e);
        }
        release(ownSystem, persistent);
    }
}
