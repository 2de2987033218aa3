package io.photopipe.loadtest.sim;

import io.gatling.commons.stats.KO$;
import io.gatling.commons.stats.OK$;
import io.gatling.core.action.Action;
import io.gatling.core.stats.StatsEngine;
import io.gatling.javaapi.core.ActionBuilder;
import io.gatling.javaapi.core.Session;
import io.photopipe.loadtest.E2eRecorder;
import org.slf4j.LoggerFactory;
import scala.Option;

/**
 * Records a photo's end-to-end time as a Gatling request named {@code e2e <group>}, from the session's {@code t0}
 * (start of the upload) to the worker's completion time from the status ({@code doneAt}; now without one), OK when the photo ended as expected, KO otherwise; and the same entry in the run's
 * {@link E2eRecorder}.
 *
 * <p>Why a request and not only the group: Gatling's assertions on a group use its cumulated response time (the sum
 * of its requests, pauses between polls left out), not its duration
 * (<a href="https://docs.gatling.io/reference/script/core/assertions/">Assertions</a>), so {@code --max-e2e-p99}
 * could not be asserted on the group. Logged as a response, the end-to-end time gets Gatling's percentiles, charts and
 * assertions like any request.
 */
final class E2eTiming implements ActionBuilder {
    private final E2eRecorder recorder;

    /**
     * @param recorder where the entries also go
     */
    E2eTiming(E2eRecorder recorder) {
        this.recorder = recorder;
    }

    /** The request name the end-to-end time of {@code group} is logged under. */
    static String requestName(String group) {
        return "e2e " + group;
    }

    @Override
    public io.gatling.core.action.builder.ActionBuilder asScala() {
        return (ctx, next) -> new Timing(ctx.coreComponents().statsEngine(), next, recorder);
    }

    /** The action; session attributes: {@code t0}, {@code group}, {@code outcome}, {@code expect}. */
    private static final class Timing implements Action {
        private final StatsEngine stats;
        private final Action next;
        private final E2eRecorder recorder;
        private com.typesafe.scalalogging.Logger logger =
                com.typesafe.scalalogging.Logger$.MODULE$.apply(LoggerFactory.getLogger(E2eTiming.class));

        Timing(StatsEngine stats, Action next, E2eRecorder recorder) {
            this.stats = stats;
            this.next = next;
            this.recorder = recorder;
        }

        /**
         * When the photo was done: the worker's timestamp from the status (saved as {@code doneAt}) when there is one
         * and it falls between the start and now (a clock skew beyond that falls back to now), else now.
         */
        private static long doneAt(Session s, long start, long now) {
            if (!s.contains("doneAt")) {
                return now;
            }
            try {
                long at = java.time.Instant.parse(s.getString("doneAt")).toEpochMilli();
                return at >= start && at <= now ? at : now;
            } catch (RuntimeException e) {
                return now;
            }
        }

        @Override
        public String name() {
            return "e2eTiming";
        }

        @Override
        public void execute(io.gatling.core.session.Session scalaSession) {
            Session s = new Session(scalaSession);
            long now = System.currentTimeMillis();
            long start = s.getLong("t0");
            long end = doneAt(s, start, now);
            String group = s.getString("group");
            String outcome = s.getString("outcome");
            String expected = s.getString("expect");
            boolean ok = expected.equals(outcome);
            recorder.record(new E2eRecorder.Entry(s.contains("id") ? s.getString("id") : "", group, start, end,
                    outcome, expected));
            stats.logResponse(scalaSession.scenario(), scalaSession.groups(), requestName(group), start, end,
                    ok ? OK$.MODULE$ : KO$.MODULE$, Option.empty(),
                    ok ? Option.empty() : Option.apply("photo ended " + outcome + ", expected " + expected));
            next.$bang(ok ? scalaSession : scalaSession.markAsFailed());
        }

        @Override
        public com.typesafe.scalalogging.Logger logger() {
            return logger;
        }

        @Override
        public void com$typesafe$scalalogging$StrictLogging$_setter_$logger_$eq(com.typesafe.scalalogging.Logger l) {
            this.logger = l;
        }
    }
}
