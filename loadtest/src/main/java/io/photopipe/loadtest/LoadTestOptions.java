package io.photopipe.loadtest;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Everything one load test run needs to know, validated in one place; each error names the flag.
 *
 * @param scenario         what to run
 * @param users            virtual users (upload scenarios: uploads; backfill-drain: photos whose time to ready is
 *                         tracked)
 * @param duration         injection duration (upload scenarios; mixed: each of its two phases)
 * @param profile          upload-burst injection profile
 * @param rate             sustained/mixed arrival rate in users per second; 0 derives it from users / duration
 * @param maxE2eP99        assertion: end-to-end p99 must stay under this
 * @param pollInterval     how often a user asks whether its photo is ready
 * @param readyTimeout     a photo not ready by then counts as failed
 * @param photosDir        photos to upload (null: see {@link PhotoSource#create})
 * @param photoSize        size of generated photos, WxH (null: the samples if present, else 1600x1200)
 * @param corruptPercent   poison-share: percentage of corrupt uploads
 * @param backlog          backfill-drain and mixed: objects in the library the backfill re-processes
 * @param backfillRate     mixed: the backfill's rate limit in messages per second
 * @param maxSlowdown      mixed: end-to-end p95 with the backfill may be at most this multiple of p95 without (plus
 *                         one poll interval)
 * @param maxConcurrency   local worker MaximumConcurrency (0: from the settings)
 * @param tinyPresets      one small rendition instead of the settings' presets (fast smoke runs)
 * @param localRamp        local event source mapping ramp: initial, step and interval
 * @param settingsFile     pipeline settings (null: defaults)
 * @param targetFile       a deployed stack's CDK outputs file (null: start the local stack)
 * @param reportsDir       where run folders go ({@code loadtest/target/reports})
 * @param pricesFile       prices (null: the shipped us-east-1 list)
 * @param accountConcurrency the account's Lambda concurrency for the scaling model
 * @param modelConcurrencies MaximumConcurrency values the scaling model predicts for
 * @param modelBacklogs    backlogs the scaling model predicts for
 * @param ports            local S3, SQS and API ports (0 each: free ports)
 * @param apiWarmUp        API execution environments started before the simulation (concurrent requests that
 *                         make them cold-start), so a spike measures the pipeline rather than a storm of API cold
 *                         starts; 0 for none
 */
public record LoadTestOptions(Scenario scenario, int users, Duration duration, Profile profile, double rate,
                              Duration maxE2eP99, Duration pollInterval, Duration readyTimeout, Path photosDir,
                              String photoSize, int corruptPercent, int backlog, double backfillRate,
                              double maxSlowdown, int maxConcurrency, boolean tinyPresets, Ramp localRamp,
                              Path settingsFile, Path targetFile, Path reportsDir, Path pricesFile,
                              int accountConcurrency, List<Integer> modelConcurrencies, List<Long> modelBacklogs,
                              int[] ports, int apiWarmUp) {

    /** Hard bounds: every run ends by itself. */
    public static final int MAX_USERS = 100_000;
    public static final Duration MAX_DURATION = Duration.ofHours(2);

    /**
     * A poller ramp: {@code initial} pollers, {@code step} more per {@code interval} while messages remain.
     */
    public record Ramp(int initial, int step, Duration interval) {
        public Ramp {
            require(initial >= 1, "--local-ramp", "initial " + initial + " must be at least 1");
            require(step >= 1, "--local-ramp", "step " + step + " must be at least 1");
            require(interval != null && !interval.isNegative() && !interval.isZero(), "--local-ramp",
                    "interval " + interval + " must be positive");
        }

        /** AWS's documented ramp: 5, then up to 300 more per minute. */
        public static Ramp aws() {
            return new Ramp(5, 300, Duration.ofMinutes(1));
        }

        /** Parses {@code INITIAL,STEP,INTERVAL}, e.g. {@code 2,2,10s}, or {@code aws}. */
        public static Ramp parse(String s) {
            if ("aws".equals(s)) {
                return aws();
            }
            String[] p = s.split(",");
            require(p.length == 3, "--local-ramp", "'" + s + "' must be INITIAL,STEP,INTERVAL (e.g. 2,2,10s) or aws");
            try {
                return new Ramp(Integer.parseInt(p[0].trim()), Integer.parseInt(p[1].trim()),
                        Durations.parse("--local-ramp", p[2].trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--local-ramp: '" + s + "' must be INITIAL,STEP,INTERVAL with whole"
                        + " numbers (e.g. 2,2,10s) or aws");
            }
        }

        @Override
        public String toString() {
            return initial + " at start, +" + step + " per " + Durations.format(interval);
        }
    }

    public LoadTestOptions {
        Objects.requireNonNull(scenario, "scenario");
        require(users >= 1 && users <= MAX_USERS, "--users", users + " must be from 1 to " + MAX_USERS);
        require(duration != null && !duration.isNegative() && duration.compareTo(MAX_DURATION) <= 0, "--duration",
                duration + " must be from 0 to " + Durations.format(MAX_DURATION));
        profile = profile == null ? Profile.SPIKE : profile;
        require(rate >= 0 && Double.isFinite(rate), "--rate", rate + " must be 0 (users / duration) or more");
        require((scenario != Scenario.MIXED && profile != Profile.SUSTAINED) || rate > 0 || !duration.isZero(),
                "--duration", "a sustained rate needs a duration above 0 or a --rate");
        require(maxE2eP99 != null && maxE2eP99.toMillis() >= 1, "--max-e2e-p99", maxE2eP99 + " must be positive");
        require(pollInterval != null && pollInterval.toMillis() >= 50, "--poll-interval",
                pollInterval + " must be at least 50ms");
        require(readyTimeout != null && readyTimeout.compareTo(pollInterval) > 0
                && readyTimeout.compareTo(MAX_DURATION) <= 0, "--ready-timeout",
                readyTimeout + " must be longer than the poll interval and at most " + Durations.format(MAX_DURATION));
        require(photoSize == null || photoSize.matches("[1-9][0-9]{0,4}x[1-9][0-9]{0,4}"), "--photo-size",
                "'" + photoSize + "' must be WIDTHxHEIGHT, e.g. 1600x1200");
        require(corruptPercent >= 0 && corruptPercent <= 100, "--corrupt-percent",
                corruptPercent + " must be from 0 to 100");
        require(scenario != Scenario.POISON_SHARE || corruptPercent > 0, "--corrupt-percent",
                "poison-share needs a share above 0");
        require(backlog >= 1 && backlog <= 1_000_000, "--backlog", backlog + " must be from 1 to 1000000");
        require(backfillRate > 0 && Double.isFinite(backfillRate), "--backfill-rate",
                backfillRate + " must be positive (messages per second)");
        require(maxSlowdown >= 1, "--max-slowdown", maxSlowdown + " must be at least 1");
        require(maxConcurrency == 0 || (maxConcurrency >= 2 && maxConcurrency <= 1000), "--max-concurrency",
                maxConcurrency + " must be 0 (from the settings) or from 2 to 1000 (AWS's range)");
        localRamp = localRamp == null ? new Ramp(2, 2, Duration.ofSeconds(10)) : localRamp;
        require(accountConcurrency >= 1, "--account-concurrency", accountConcurrency + " must be positive");
        modelConcurrencies = modelConcurrencies == null || modelConcurrencies.isEmpty()
                ? List.of(10, 50, 200, 1000) : List.copyOf(modelConcurrencies);
        modelConcurrencies.forEach(c -> require(c >= 2 && c <= 1000, "--model-concurrency",
                c + " must be from 2 to 1000 (MaximumConcurrency's range)"));
        modelBacklogs = modelBacklogs == null || modelBacklogs.isEmpty()
                ? List.of(1_000_000L, 10_000_000L, 100_000_000L) : List.copyOf(modelBacklogs);
        modelBacklogs.forEach(b -> require(b >= 1, "--model-backlog", b + " must be positive"));
        reportsDir = reportsDir == null ? Path.of("loadtest", "target", "reports") : reportsDir;
        ports = ports == null ? new int[] {0, 0, 0} : ports.clone();
        require(ports.length == 3, "--ports", "needs three ports: S3,SQS,API");
        require(apiWarmUp >= 0 && apiWarmUp <= 100, "--api-warm-up", apiWarmUp + " must be from 0 to 100");
        for (int p : ports) {
            require(p >= 0 && p <= 65_535, "--ports", p + " must be 0 (a free port) or 1-65535");
        }
    }

    /** The defaults of a scenario: what {@code ./photopipe loadtest SCENARIO} runs without flags. */
    public static LoadTestOptions defaults(Scenario scenario) {
        return new LoadTestOptions(scenario, 20, Duration.ofSeconds(20), Profile.SPIKE, 0, Duration.ofSeconds(60),
                Duration.ofSeconds(1), Duration.ofSeconds(180), null, null,
                scenario == Scenario.POISON_SHARE ? 20 : 0, 200, 5, 3, 0, false, null, null, null, null, null,
                1000, null, null, null, 4);
    }

    /** Users per second for the sustained and mixed profiles. */
    public double arrivalRate() {
        if (rate > 0) {
            return rate;
        }
        return duration.isZero() ? users : users / (double) duration.toSeconds();
    }

    static void require(boolean ok, String flag, String message) {
        if (!ok) {
            throw new IllegalArgumentException(flag + ": " + message);
        }
    }
}
