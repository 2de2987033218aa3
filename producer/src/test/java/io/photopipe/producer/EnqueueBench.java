package io.photopipe.producer;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The enqueue benchmark against in-process embedded servers (EmbeddedS3 + EmbeddedSqs): {@code produce bench-enqueue}
 * with its scratch bucket of {@code -Dbench.objects} objects (default 20,000). Not a test: its name keeps it out of
 * {@code ./photopipe test}; run it with
 * {@code ./mvnw -pl producer -am verify -Dtest=EnqueueBench -Dsurefire.failIfNoSpecifiedTests=false -Dbench.objects=20000}.
 */
class EnqueueBench {
    @Test
    void enqueueRate() {
        String objects = System.getProperty("bench.objects", "20000");
        String rounds = System.getProperty("bench.rounds", "2");
        String inFlight = System.getProperty("bench.inFlight", "16");
        Cli.Result r = Cli.run("bench-enqueue", "--objects", objects, "--rounds", rounds, "--max-in-flight", inFlight);
        System.out.println(r.err());
        System.out.println(r.out());
        assertThat(r.exitCode()).as(r.err()).isZero();
    }
}
