package io.photopipe.loadtest;

import java.util.List;
import java.util.Objects;

/**
 * What the running simulation needs, handed over in-process: Gatling instantiates simulation classes by name with
 * no arguments, so the runner installs the context before it starts Gatling and clears it after. One run at a time
 * per JVM.
 *
 * @param options    the run's options
 * @param target     where the traffic goes
 * @param photos     what is uploaded
 * @param recorder   end-to-end times, for the scaling report
 * @param backlog    backfill scenarios: the seeded library (null otherwise)
 * @param statusUrls backfill-drain: presigned GETs of the status documents of the photos tracked
 */
public record RunContext(LoadTestOptions options, Target target, PhotoSource photos, E2eRecorder recorder,
                         Backlog backlog, List<String> statusUrls) {

    private static volatile RunContext current;

    public RunContext {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(photos, "photos");
        Objects.requireNonNull(recorder, "recorder");
        statusUrls = statusUrls == null ? List.of() : List.copyOf(statusUrls);
    }

    /** The context of the run in progress. */
    public static RunContext current() {
        RunContext c = current;
        if (c == null) {
            throw new IllegalStateException("no load test run in progress: start simulations with "
                    + "./photopipe loadtest SCENARIO (LoadTestRunner installs their context)");
        }
        return c;
    }

    static void install(RunContext context) {
        current = context;
    }

    static void clear() {
        current = null;
    }
}
