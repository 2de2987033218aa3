package io.photopipe.loadtest.chaos;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One chaos run, validated.
 *
 * @param objects        objects in the library
 * @param seed           seeds the library, the fault draws and the kill schedule
 * @param s3Faults       the S3 fault spec of the stack ({@code ""} for none)
 * @param killEveryMin   worker environments are SIGKILLed every [min, max]; null for never
 * @param killEveryMax   see killEveryMin
 * @param killTarget     which environments may be SIGKILLed: any, only busy ones (mid-invocation), only idle ones
 * @param sqsOutage      how long SQS is down (once, at {@code outageAt} of the uploads); zero for no outage
 * @param outageAt       the share of the uploads at which the outage begins (0: before the first)
 * @param sigterm        SIGTERM the stack (at 25 % of the uploads) and restart it on the same data
 * @param sigkill        SIGKILL the stack (at 75 %, during the burst) and restart it on the same data
 * @param burstFraction  the last share of the library uploaded at once (16 at a time), after a steady phase
 * @param steadyRate     uploads per second in the steady phase
 * @param stormTail      worker SIGKILLs go on this long after the last upload, then the system settles
 * @param settleTimeout  how long to wait for the queue, the outbox and the DLQ to settle
 * @param maxDuration    the whole run's bound (library, uploads, settling and the ledger)
 * @param pollInterval   how often the settling is checked (two equal readings in a row settle it)
 * @param photoDirs      folders of real photos copied into the library
 * @param out            where the stack's data and the reports go
 * @param settingsFile   pipeline settings (null: the project's)
 * @param maxConcurrency the worker's MaximumConcurrency, or null for the settings'
 * @param tinyPresets    one small rendition instead of the settings' presets (fast smoke runs)
 */
record ChaosOptions(int objects, long seed, String s3Faults, Duration killEveryMin, Duration killEveryMax,
                    KillTarget killTarget, Duration sqsOutage, double outageAt, boolean sigterm, boolean sigkill, double burstFraction, double steadyRate,
                    Duration stormTail, Duration settleTimeout, Duration maxDuration, Duration pollInterval,
                    List<Path> photoDirs, Path out, Path settingsFile, Integer maxConcurrency, boolean tinyPresets) {

    /** Which worker environments a SIGKILL may hit. */
    enum KillTarget { ANY, BUSY, IDLE }

    /** The fault mix of issue 10's report. */
    static final String HARSH = "slowdown=0.1,error=0.05,drop=0.02,latency=300ms@0.1";

    ChaosOptions {
        require(objects >= 1 && objects <= 100_000, "--objects", objects + " must be from 1 to 100000");
        s3Faults = s3Faults == null ? "" : s3Faults;
        if (killEveryMin != null) {
            Objects.requireNonNull(killEveryMax, "killEveryMax");
            require(!killEveryMin.isNegative() && !killEveryMin.isZero() && killEveryMax.compareTo(killEveryMin) >= 0,
                    "--kill-every", killEveryMin + "-" + killEveryMax + " must be MIN-MAX with 0 < MIN <= MAX");
        }
        require(sqsOutage != null && !sqsOutage.isNegative() && sqsOutage.toSeconds() <= 3600, "--sqs-outage",
                sqsOutage + " must be from 0 (none) to 1h");
        require(burstFraction >= 0 && burstFraction <= 1, "--burst", burstFraction + " must be from 0 to 1");
        require(outageAt >= 0 && outageAt <= 1, "--sqs-outage-at", outageAt + " must be from 0 to 1");
        killTarget = killTarget == null ? KillTarget.ANY : killTarget;
        require(steadyRate > 0 && steadyRate <= 1000, "--steady-rate", steadyRate + " must be from 0 to 1000 /s");
        require(maxDuration != null && maxDuration.toSeconds() >= 10, "--max-duration", maxDuration
                + " must be at least 10s");
        require(settleTimeout != null && !settleTimeout.isNegative(), "--settle-timeout", settleTimeout
                + " must not be negative");
        require(pollInterval != null && pollInterval.toMillis() >= 100, "--poll-interval", pollInterval
                + " must be at least 100ms");
        require(maxConcurrency == null || maxConcurrency >= 2 && maxConcurrency <= 1000, "--max-concurrency",
                maxConcurrency + " must be from 2 to 1000");
        photoDirs = List.copyOf(photoDirs);
        Objects.requireNonNull(out, "out");
        stormTail = stormTail == null ? Duration.ZERO : stormTail;
    }

    private static void require(boolean ok, String option, String message) {
        if (!ok) {
            throw new IllegalArgumentException(option + ": " + message);
        }
    }
}
