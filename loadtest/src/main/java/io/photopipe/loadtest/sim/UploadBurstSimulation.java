package io.photopipe.loadtest.sim;

import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.rampUsers;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.core.CoreDsl.stressPeakUsers;

import io.gatling.javaapi.core.OpenInjectionStep;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.photopipe.loadtest.LoadTestOptions;
import io.photopipe.loadtest.RunContext;
import java.util.List;

/**
 * upload-burst: virtual users upload a photo each through the API and poll until it is ready, injected as a spike
 * ({@code stressPeakUsers}, or {@code atOnceUsers} for a duration of 0), a ramp or a sustained rate.
 */
public class UploadBurstSimulation extends Simulation {
    public UploadBurstSimulation() {
        RunContext ctx = RunContext.current();
        LoadTestOptions o = ctx.options();
        ScenarioBuilder uploads = scenario("upload-burst").exec(Flows.upload(ctx, Flows.UPLOAD_TO_READY));
        setUp(uploads.injectOpen(injection(o)))
                .protocols(Flows.protocol(ctx))
                .assertions(Checks.assertions(o, groups(o)))
                .maxDuration(Checks.maxDuration(o, o.duration()));
    }

    static OpenInjectionStep injection(LoadTestOptions o) {
        return switch (o.profile()) {
            case SPIKE -> o.duration().isZero() ? atOnceUsers(o.users()) : stressPeakUsers(o.users()).during(o.duration());
            case RAMP -> rampUsers(o.users()).during(o.duration());
            case SUSTAINED -> constantUsersPerSec(o.arrivalRate()).during(o.duration());
        };
    }

    static List<String> groups(LoadTestOptions o) {
        return o.corruptPercent() > 0 && o.users() * (long) o.corruptPercent() / 100 > 0
                ? List.of(Flows.UPLOAD_TO_READY, Flows.UPLOAD_TO_FAILED) : List.of(Flows.UPLOAD_TO_READY);
    }
}
