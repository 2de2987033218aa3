package io.photopipe.local.servers.bench;

import io.photopipe.local.servers.EmbeddedS3;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the fault switch costs when no fault is set: small GETs and PUTs through {@link EmbeddedS3#endpoint()} versus
 * straight to S3Proxy. Not a test (no timing assertions in tests); run by hand:
 * {@code java -cp ... io.photopipe.local.servers.bench.FaultProxyOverhead [threads] [seconds]}.
 */
public final class FaultProxyOverhead {

    private FaultProxyOverhead() {
    }

    public static void main(String[] args) throws Exception {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 4;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        try (EmbeddedS3 s3 = EmbeddedS3.start()) {
            s3.createBucket("bench");
            s3.client().putObject(b -> b.bucket("bench").key("k"), RequestBody.fromBytes(new byte[16 * 1024]));
            for (int round = 0; round < 2; round++) { // first round warms up
                for (URI endpoint : List.of(s3.directEndpoint(), s3.endpoint())) {
                    try (S3Client c = s3.clientBuilder().endpointOverride(endpoint).build()) {
                        double get = rate(threads, seconds, () -> c.getObjectAsBytes(b -> b.bucket("bench").key("k")));
                        double put = rate(threads, seconds, () -> c.putObject(b -> b.bucket("bench").key("p"),
                                RequestBody.fromBytes(new byte[16 * 1024])));
                        if (round == 1) {
                            System.out.printf("%-8s %d threads: GET 16 KiB %,.0f/s, PUT 16 KiB %,.0f/s%n",
                                    endpoint.equals(s3.endpoint()) ? "proxied" : "direct", threads, get, put);
                        }
                    }
                }
            }
        }
    }

    private static double rate(int threads, int seconds, Runnable op) throws Exception {
        LongAdder done = new LongAdder();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> fs = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            fs.add(pool.submit(() -> {
                while (System.nanoTime() < end) {
                    op.run();
                    done.increment();
                }
            }));
        }
        for (Future<?> f : fs) {
            f.get();
        }
        pool.shutdown();
        return done.sum() / (double) seconds;
    }
}
