package io.photopipe.loadtest;

import io.photopipe.loadtest.model.CostModel;
import io.photopipe.loadtest.model.ScalingModel;
import io.photopipe.loadtest.model.Usage;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * Everything a run found, for the report and the exit code.
 *
 * @param runId           the run's name
 * @param startedAt       when the simulation started
 * @param options         the options
 * @param targetDescription where the traffic went
 * @param photosDescription what was uploaded
 * @param gatlingDir      Gatling's report folder (its index.html), also where scaling.html goes
 * @param gatlingStatus   Gatling's exit status (0: all assertions passed)
 * @param samples         the stack's metrics, one per second
 * @param e2e             per-photo end-to-end times
 * @param checks          our checks beyond Gatling's assertions
 * @param drain           the measured backlog drain (backfill-drain), or null
 * @param usage           what the run used (null when not measurable, e.g. a deployed stack)
 * @param bill            the projected bill (null with usage)
 * @param localModel      the scaling model with the local ramp, for the check against the measured drain (or null)
 * @param memoryMb        the worker's memory
 * @param architecture    the worker's architecture
 * @param batchSize       the worker's batch size
 * @param maxConcurrency  the worker's MaximumConcurrency in this run
 */
public record RunResult(String runId, Instant startedAt, LoadTestOptions options, String targetDescription,
                        String photosDescription, Path gatlingDir, int gatlingStatus, List<Sample> samples,
                        List<E2eRecorder.Entry> e2e, List<Check> checks, Drain drain, Usage usage,
                        CostModel.Bill bill, ScalingModel localModel, int memoryMb, String architecture,
                        int batchSize, int maxConcurrency) {

    /**
     * A measured drain.
     *
     * @param photos      backlog size
     * @param startMs     when the backfill started, ms into the run
     * @param endMs       when the queue was empty with nothing in flight, ms into the run (-1: not drained)
     * @param enqueueRate the producer's enqueue rate, messages/s
     */
    public record Drain(long photos, long startMs, long endMs, double enqueueRate) {
        public double seconds() {
            return endMs < 0 ? Double.NaN : (endMs - startMs) / 1000.0;
        }
    }

    /** Whether Gatling's assertions and all our checks passed. */
    public boolean passed() {
        return gatlingStatus == 0 && checks.stream().allMatch(Check::passed);
    }

    /** The process exit code: 0 passed, 1 failed. */
    public int exitCode() {
        return passed() ? 0 : 1;
    }
}
