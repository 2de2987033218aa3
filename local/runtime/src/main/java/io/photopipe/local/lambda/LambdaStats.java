package io.photopipe.local.lambda;

import java.time.Duration;
import java.util.Map;

/**
 * A snapshot of every registered function's execution environments and invocations.
 *
 * @param functions per function name
 */
public record LambdaStats(Map<String, FunctionStats> functions) {

    public LambdaStats {
        functions = Map.copyOf(functions);
    }

    /** The stats of one function; an all-zero value when it is unknown. */
    public FunctionStats function(String name) {
        return functions.getOrDefault(name, FunctionStats.EMPTY);
    }

    /**
     * One function's counters.
     *
     * @param environments      live execution environments (busy + idle)
     * @param busy              environments running an invocation now
     * @param maxEnvironments   the most environments alive at once so far (the peak concurrency)
     * @param invocations       invocations finished
     * @param errors            of which ended with a function error (including timeouts and crashes)
     * @param timeouts          of which were killed by the timeout
     * @param crashes           environments whose process exited on its own (and were replaced)
     * @param outOfMemory       of which were killed for using more than the function's memory
     * @param coldStarts        environments created (an Init phase each)
     * @param init              Init phase durations
     * @param invoke            Invoke phase durations
     */
    public record FunctionStats(int environments, int busy, int maxEnvironments, long invocations, long errors,
                                long timeouts, long crashes, long outOfMemory, long coldStarts, Percentiles init,
                                Percentiles invoke) {
        public static final FunctionStats EMPTY =
                new FunctionStats(0, 0, 0, 0, 0, 0, 0, 0, 0, Percentiles.EMPTY, Percentiles.EMPTY);

        /** Environments alive and waiting for work. */
        public int idle() {
            return environments - busy;
        }
    }

    /**
     * Duration percentiles over a window of recent samples.
     *
     * @param count how many samples in total
     */
    public record Percentiles(long count, Duration p50, Duration p90, Duration p99, Duration max) {
        public static final Percentiles EMPTY =
                new Percentiles(0, Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO);

        @Override
        public String toString() {
            return count == 0 ? "n=0" : "n=" + count + " p50=" + p50.toMillis() + "ms p90=" + p90.toMillis()
                    + "ms p99=" + p99.toMillis() + "ms max=" + max.toMillis() + "ms";
        }
    }
}
