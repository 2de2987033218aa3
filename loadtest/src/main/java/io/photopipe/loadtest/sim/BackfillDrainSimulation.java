package io.photopipe.loadtest.sim;

import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.jmesPath;
import static io.gatling.javaapi.core.CoreDsl.pause;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.core.Simulation;
import io.photopipe.loadtest.E2eRecorder;
import io.photopipe.loadtest.LoadTestOptions;
import io.photopipe.loadtest.RunContext;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * backfill-drain: one user starts the worker and the producer's backfill of the whole seeded library at once (no
 * rate limit); at the same moment {@code --users} watchers each follow one photo of the library (spread evenly over
 * it) by polling its status document through a presigned GET, timed in the group {@code backfill-to-ready}. The queue
 * metrics (drain time, throughput, concurrency) come from the runner's sampler.
 */
public class BackfillDrainSimulation extends Simulation {
    public static final String BACKFILL_TO_READY = "backfill-to-ready";

    public BackfillDrainSimulation() {
        RunContext ctx = RunContext.current();
        LoadTestOptions o = ctx.options();
        long pollMs = o.pollInterval().toMillis();
        long timeoutMs = o.readyTimeout().toMillis();
        List<String> urls = ctx.statusUrls();
        AtomicInteger next = new AtomicInteger();
        Iterator<Map<String, Object>> feeder = new Iterator<>() {
            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public Map<String, Object> next() {
                return Map.of("statusUrl", urls.get(next.getAndIncrement() % urls.size()));
            }
        };
        E2eRecorder recorder = ctx.recorder();
        ScenarioBuilder trigger = scenario("backfill starts").exec(s -> {
            ctx.target().startConsuming();
            ctx.backlog().start(0);
            return s;
        });
        ScenarioBuilder watch = scenario("photo watchers").feed(feeder)
                .group(BACKFILL_TO_READY).on(
                        exec(s -> s.set("t0", System.currentTimeMillis()).set("state", "PENDING")
                                .set("pollMs", pollMs))
                                .asLongAs(s -> pending(s, timeoutMs)).on(
                                        pause(s -> Duration.ofMillis(s.getLong("pollMs")))
                                                .exec(s -> s.set("pollMs", Flows.backoff(s.getLong("pollMs"), pollMs)))
                                                .exec(http("GET status document (presigned)").get("#{statusUrl}")
                                                        .check(status().in(200, 404))
                                                        .checkIf((r, s) -> r.status().code() == 200)
                                                        .then(jmesPath("state").saveAs("state"),
                                                                jmesPath("at").optional().saveAs("doneAt")))))
                .exec(s -> s.set("group", BACKFILL_TO_READY).set("expect", "ready")
                        .set("outcome", "PENDING".equals(s.getString("state")) ? "timeout"
                                : s.getString("state").toLowerCase(java.util.Locale.ROOT)))
                .exec(new E2eTiming(recorder));
        int watchers = Math.min(o.users(), urls.size());
        setUp(trigger.injectOpen(atOnceUsers(1)), watch.injectOpen(atOnceUsers(watchers)))
                .protocols(Flows.protocol(ctx))
                .assertions(Checks.assertions(o, List.of(BACKFILL_TO_READY)))
                .maxDuration(Checks.maxDuration(o, Duration.ZERO));
    }

    private static boolean pending(Session s, long timeoutMs) {
        return "PENDING".equals(s.getString("state")) && System.currentTimeMillis() - s.getLong("t0") < timeoutMs;
    }
}
