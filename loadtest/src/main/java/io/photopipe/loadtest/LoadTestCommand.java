package io.photopipe.loadtest;

import io.photopipe.local.stack.LocalOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ./photopipe loadtest SCENARIO [options]}: runs one scenario and exits with its verdict. */
@Command(name = "loadtest", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "Runs a Gatling load test against the local stack (started for the run on free ports, in a fresh",
                "temporary data directory) or, with --target, a deployed stack; writes Gatling's report and",
                "scaling.html under loadtest/target/reports/<run>/ and exits 0 when every assertion passed.",
                "",
                "Scenarios: upload-burst, backfill-drain, mixed, poison-share."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every assertion and check passed", "1:an assertion or check failed",
                "2:bad usage or the run could not start"})
public final class LoadTestCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "SCENARIO", description = "upload-burst | backfill-drain | mixed | poison-share")
    String scenario;

    @Option(names = "--users", description = "virtual users: uploads, or photos tracked by backfill-drain (default 20)")
    Integer users;

    @Option(names = "--duration", description = "injection duration, e.g. 30s, 2m; mixed: each phase (default 20s)")
    String duration;

    @Option(names = "--profile", description = "upload-burst injection: spike, ramp or sustained (default spike)")
    String profile;

    @Option(names = "--rate", description = "users per second for sustained and mixed (default users / duration)")
    Double rate;

    @Option(names = "--max-e2e-p99", description = "assertion: end-to-end p99 under this (default 60s)")
    String maxE2eP99;

    @Option(names = "--poll-interval", description = "how often a user polls its photo's status (default 1s)")
    String pollInterval;

    @Option(names = "--ready-timeout", description = "a photo not final by then fails (default 180s)")
    String readyTimeout;

    @Option(names = "--photos", description = "folder of photos to upload (default: samples/photos, else generated)")
    Path photos;

    @Option(names = "--photo-size", description = "upload generated photos of this size, WxH (e.g. 1600x1200)")
    String photoSize;

    @Option(names = "--corrupt-percent", description = "poison-share: share of corrupt uploads (default 20)")
    Integer corruptPercent;

    @Option(names = "--backlog", description = "backfill-drain and mixed: photos in the library (default 200)")
    Integer backlog;

    @Option(names = "--backfill-rate", description = "mixed: the backfill's rate limit, messages/s (default 5)")
    Double backfillRate;

    @Option(names = "--max-slowdown", description = "mixed: p95 during the backfill at most this times p95 alone "
            + "(plus one poll interval; default 3)")
    Double maxSlowdown;

    @Option(names = "--max-concurrency", description = "local worker MaximumConcurrency (default: the settings')")
    Integer maxConcurrency;

    @Option(names = "--local-ramp", description = "local ESM ramp INITIAL,STEP,INTERVAL or aws (default 2,2,10s)")
    String localRamp;

    @Option(names = "--tiny-presets", description = "one small rendition instead of the settings' presets")
    boolean tinyPresets;

    @Option(names = "--settings", description = "pipeline settings JSON (default: the defaults)")
    Path settings;

    @Option(names = "--target", description = "a deployed stack's CDK outputs file (npx aws-cdk@2 deploy "
            + "--outputs-file FILE); default: start the local stack")
    Path target;

    @Option(names = "--reports", description = "where run folders go (default loadtest/target/reports)")
    Path reports;

    @Option(names = "--prices", description = "prices JSON for the cost projection (default: shipped us-east-1)")
    Path prices;

    @Option(names = "--account-concurrency", description = "the account's Lambda concurrency for the scaling model "
            + "(default 1000)")
    Integer accountConcurrency;

    @Option(names = "--model-concurrency", split = ",", description = "MaximumConcurrency values to model "
            + "(default 10,50,200,1000)")
    List<Integer> modelConcurrency;

    @Option(names = "--model-backlog", split = ",", description = "backlogs to model (default 1000000,10000000,100000000)")
    List<Long> modelBacklog;

    @Option(names = "--api-warm-up", description = "API environments warmed before the run (default 4; 0: none)")
    Integer apiWarmUp;

    @Option(names = "--ports", description = "local S3,SQS,API ports (default: free ports; 0 for any)")
    String ports;

    public static void main(String[] args) {
        CommandLine cl = new CommandLine(new LoadTestCommand());
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof IllegalArgumentException || e instanceof IllegalStateException) {
                cmd.getErr().println("loadtest: " + e.getMessage());
                return 2;
            }
            throw e;
        });
        int code = cl.execute(args);
        System.exit(code);
    }

    @Override
    public Integer call() throws Exception {
        LoadTestOptions o = options();
        Path root = LocalOptions.findProjectRoot(Path.of(""));
        RunResult r = LoadTestRunner.run(o, root, System.out);
        return r.exitCode();
    }

    LoadTestOptions options() {
        Scenario s = Scenario.parse(scenario);
        LoadTestOptions d = LoadTestOptions.defaults(s);
        Profile p = profile == null ? d.profile() : parseProfile(profile);
        return new LoadTestOptions(s, or(users, d.users()), dur("--duration", duration, d.duration()), p,
                or(rate, d.rate()), dur("--max-e2e-p99", maxE2eP99, d.maxE2eP99()),
                dur("--poll-interval", pollInterval, d.pollInterval()),
                dur("--ready-timeout", readyTimeout, d.readyTimeout()), photos, or(photoSize, d.photoSize()),
                or(corruptPercent, d.corruptPercent()), or(backlog, d.backlog()), or(backfillRate, d.backfillRate()),
                or(maxSlowdown, d.maxSlowdown()), or(maxConcurrency, 0), tinyPresets,
                localRamp == null ? null : LoadTestOptions.Ramp.parse(localRamp), settings, target, reports, prices,
                or(accountConcurrency, d.accountConcurrency()), modelConcurrency, modelBacklog, parsePorts(ports),
                or(apiWarmUp, d.apiWarmUp()));
    }

    private static Profile parseProfile(String s) {
        try {
            return Profile.valueOf(s.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--profile: '" + s + "' must be spike, ramp or sustained");
        }
    }

    private static int[] parsePorts(String s) {
        if (s == null) {
            return null;
        }
        String[] p = s.split(",");
        if (p.length != 3) {
            throw new IllegalArgumentException("--ports: '" + s + "' must be S3,SQS,API (e.g. 9100,9424,8180)");
        }
        try {
            return Arrays.stream(p).mapToInt(x -> Integer.parseInt(x.trim())).toArray();
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--ports: '" + s + "' must be three port numbers");
        }
    }

    private static Duration dur(String flag, String text, Duration fallback) {
        return text == null ? fallback : Durations.parse(flag, text);
    }

    private static <T> T or(T v, T fallback) {
        return v == null ? fallback : v;
    }
}
