package io.photopipe.loadtest.sim;

import static io.gatling.javaapi.core.CoreDsl.scenario;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.photopipe.loadtest.LoadTestOptions;
import io.photopipe.loadtest.RunContext;

/**
 * poison-share: the upload-burst traffic with {@code --corrupt-percent} of the photos corrupt. A corrupt photo must end
 * {@code failed} (timed in {@code upload-to-failed}), every other one {@code ready}; the runner then checks the DLQ
 * holds exactly the corrupt ones, with their reasons.
 */
public class PoisonShareSimulation extends Simulation {
    public PoisonShareSimulation() {
        RunContext ctx = RunContext.current();
        LoadTestOptions o = ctx.options();
        ScenarioBuilder uploads = scenario("poison-share").exec(Flows.upload(ctx, Flows.UPLOAD_TO_READY));
        setUp(uploads.injectOpen(UploadBurstSimulation.injection(o)))
                .protocols(Flows.protocol(ctx))
                .assertions(Checks.assertions(o, UploadBurstSimulation.groups(o)))
                .maxDuration(Checks.maxDuration(o, o.duration()));
    }
}
