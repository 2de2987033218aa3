package io.photopipe.worker.observe;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.photopipe.worker.process.Outcome;
import io.photopipe.worker.process.Work;
import java.time.Duration;
import java.util.Objects;

/**
 * The worker's Micrometer meters. Tags are low-cardinality: {@code outcome} (done, skipped, retried, rejected) and
 * {@code reason} (a stable reason code). Names (CloudWatch turns dots into its own naming):
 * <ul>
 *   <li>{@code photopipe.messages} counter: every message's final outcome;</li>
 *   <li>{@code photopipe.photo.duration} timer: one photo event, by outcome and reason;</li>
 *   <li>{@code photopipe.batch.size} summary and {@code photopipe.batch.duration} timer;</li>
 *   <li>{@code photopipe.bytes.in} / {@code photopipe.bytes.out}, {@code photopipe.megapixels.in} /
 *       {@code photopipe.megapixels.out}, {@code photopipe.renditions.written} counters;</li>
 *   <li>{@code photopipe.dlq.moves} counter with {@code result} ok or failed;</li>
 *   <li>{@code photopipe.memory.resident} and {@code photopipe.memory.peak} summaries (bytes, one sample per
 *       invocation): the process's resident set now and its peak (Lambda's "Max Memory Used"), and
 *       {@code photopipe.memory.heap} (heap in use);</li>
 *   <li>{@code photopipe.environment.recycled} counter: invocations that ended their environment because abandoned
 *       renders were still running.</li>
 * </ul>
 */
public final class WorkerMetrics {
    private final MeterRegistry registry;
    private final DistributionSummary batchSize;
    private final Timer batchDuration;
    private final Counter bytesIn;
    private final Counter bytesOut;
    private final Counter megapixelsIn;
    private final Counter megapixelsOut;
    private final Counter renditions;
    private final DistributionSummary resident;
    private final DistributionSummary peak;
    private final DistributionSummary heap;
    private final Counter recycled;

    public WorkerMetrics(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
        batchSize = DistributionSummary.builder("photopipe.batch.size").description("messages per invocation")
                .baseUnit("messages").register(registry);
        batchDuration = Timer.builder("photopipe.batch.duration").description("time to process one batch")
                .register(registry);
        bytesIn = Counter.builder("photopipe.bytes.in").description("source bytes read").baseUnit("bytes")
                .register(registry);
        bytesOut = Counter.builder("photopipe.bytes.out").description("rendition bytes written").baseUnit("bytes")
                .register(registry);
        megapixelsIn = Counter.builder("photopipe.megapixels.in").description("source megapixels")
                .register(registry);
        megapixelsOut = Counter.builder("photopipe.megapixels.out").description("rendition megapixels written")
                .register(registry);
        renditions = Counter.builder("photopipe.renditions.written").description("renditions written")
                .register(registry);
        resident = DistributionSummary.builder("photopipe.memory.resident")
                .description("resident set of the process after an invocation (VmRSS)").baseUnit("bytes")
                .register(registry);
        peak = DistributionSummary.builder("photopipe.memory.peak")
                .description("peak resident set of the process so far (VmHWM, Lambda's Max Memory Used)")
                .baseUnit("bytes").register(registry);
        heap = DistributionSummary.builder("photopipe.memory.heap").description("heap in use after an invocation")
                .baseUnit("bytes").register(registry);
        recycled = Counter.builder("photopipe.environment.recycled")
                .description("environments ended because abandoned renders were still running").register(registry);
    }

    /** The memory after one invocation. */
    public void memory(MemoryUsage m) {
        if (m.residentBytes() >= 0) {
            resident.record(m.residentBytes());
        }
        if (m.peakBytes() >= 0) {
            peak.record(m.peakBytes());
        }
        heap.record(m.heapUsedBytes());
    }

    /** This environment is being recycled. */
    public void recycled() {
        recycled.increment();
    }

    /** The registry the meters are in. */
    public MeterRegistry registry() {
        return registry;
    }

    /** A message's final outcome. */
    public void message(Outcome outcome, Duration took) {
        Counter.builder("photopipe.messages").description("messages by final outcome")
                .tag("outcome", outcome.label()).tag("reason", outcome.code()).register(registry).increment();
    }

    /** One photo event processed (duplicates inside a batch count once). */
    public void photo(Outcome outcome, Duration took) {
        Timer.builder("photopipe.photo.duration").description("time to process one photo event")
                .tag("outcome", outcome.label()).tag("reason", outcome.code()).register(registry).record(took);
        Work w = outcome.work();
        bytesIn.increment(w.bytesIn());
        if (outcome instanceof Outcome.Done d && d.code().equals("rendered")) {
            bytesOut.increment(w.bytesOut());
            megapixelsIn.increment(w.pixelsIn() / 1e6);
            megapixelsOut.increment(w.pixelsOut() / 1e6);
            renditions.increment(w.renditions());
        }
    }

    /** One batch. */
    public void batch(int size, Duration took) {
        batchSize.record(size);
        batchDuration.record(took);
    }

    /** A DLQ copy sent or failed. */
    public void dlqMove(boolean ok) {
        Counter.builder("photopipe.dlq.moves").description("messages copied to the DLQ")
                .tag("result", ok ? "ok" : "failed").register(registry).increment();
    }
}
