package io.photopipe.loadtest.sim;

import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.global;

import io.gatling.javaapi.core.Assertion;
import io.photopipe.loadtest.LoadTestOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The Gatling assertions every scenario makes, so a regression fails the run (and its exit code). */
final class Checks {
    private Checks() {
    }

    /**
     * No failed request at all (a photo that ends otherwise than expected fails its end-to-end timing), and each
     * end-to-end timing's p99 under {@code --max-e2e-p99}.
     */
    static List<Assertion> assertions(LoadTestOptions o, List<String> e2eGroups) {
        List<Assertion> list = new ArrayList<>();
        list.add(global().failedRequests().count().is(0L));
        int p99 = (int) Math.min(Integer.MAX_VALUE, o.maxE2eP99().toMillis());
        for (String g : e2eGroups) {
            list.add(details(E2eTiming.requestName(g)).responseTime().percentile(99.0).lt(p99));
        }
        return list;
    }

    /** A bound on the whole simulation: injection, then the slowest photo's ready timeout, then a minute. */
    static Duration maxDuration(LoadTestOptions o, Duration injection) {
        return injection.plus(o.readyTimeout()).plusMinutes(1);
    }
}
