package io.photopipe.loadtest.sim;

import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.scenario;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.photopipe.loadtest.LoadTestOptions;
import io.photopipe.loadtest.RunContext;
import java.util.List;

/**
 * mixed: a sustained upload rate for {@code --duration} alone, then (once those photos are done) the producer's
 * backfill starts under its rate limit and the same upload rate runs again for {@code --duration}. The two groups'
 * end-to-end times are compared by the runner (live uploads must keep their latency).
 */
public class MixedSimulation extends Simulation {
    public static final String ALONE = "upload-to-ready-alone";
    public static final String DURING_BACKFILL = "upload-to-ready-during-backfill";

    public MixedSimulation() {
        RunContext ctx = RunContext.current();
        LoadTestOptions o = ctx.options();
        double rate = o.arrivalRate();
        ScenarioBuilder alone = scenario("uploads alone").exec(Flows.upload(ctx, ALONE));
        ScenarioBuilder trigger = scenario("backfill starts").exec(s -> {
            ctx.backlog().start(o.backfillRate());
            return s;
        });
        ScenarioBuilder during = scenario("uploads during backfill").exec(Flows.upload(ctx, DURING_BACKFILL));
        setUp(alone.injectOpen(constantUsersPerSec(rate).during(o.duration()))
                .andThen(trigger.injectOpen(atOnceUsers(1))
                        .andThen(during.injectOpen(constantUsersPerSec(rate).during(o.duration())))))
                .protocols(Flows.protocol(ctx))
                .assertions(Checks.assertions(o, List.of(ALONE, DURING_BACKFILL)))
                .maxDuration(Checks.maxDuration(o, o.duration()).plus(Checks.maxDuration(o, o.duration())));
    }
}
