package io.photopipe.loadtest;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Samples the target's metrics every second into a time series, from {@link #start} to {@link #stop}. */
public final class MetricsSampler implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MetricsSampler.class);
    private final Target target;
    private final long periodMillis;
    private final List<Sample> samples = new CopyOnWriteArrayList<>();
    private final long startMillis;
    private final Sample base;
    private final Thread thread;
    private volatile boolean running = true;

    private MetricsSampler(Target target, long periodMillis) {
        this.target = target;
        this.base = target.sample(0);
        this.periodMillis = periodMillis;
        this.startMillis = System.currentTimeMillis();
        this.thread = Thread.ofPlatform().daemon().name("loadtest-sampler").start(this::loop);
    }

    /** Starts sampling now (time 0 of the series); counters and the DLQ depth are counted from now. */
    public static MetricsSampler start(Target target, long periodMillis) {
        return new MetricsSampler(target, periodMillis);
    }

    /** Epoch millis of time 0. */
    public long startMillis() {
        return startMillis;
    }

    private void loop() {
        long next = System.currentTimeMillis();
        while (running) {
            try {
                samples.add(now());
            } catch (RuntimeException e) {
                LOG.warn("sampling the stack's metrics failed: {}", e.toString());
            }
            next += periodMillis;
            long wait = next - System.currentTimeMillis();
            if (wait > 0) {
                try {
                    Thread.sleep(wait);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /** The latest sample taken now (not only on the period). */
    public Sample now() {
        return target.sample(System.currentTimeMillis() - startMillis).since(base);
    }

    /** Stops and returns the series. */
    public List<Sample> stop() {
        running = false;
        thread.interrupt();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            samples.add(now());
        } catch (RuntimeException e) {
            LOG.warn("the last sample failed: {}", e.toString());
        }
        return new ArrayList<>(samples);
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
