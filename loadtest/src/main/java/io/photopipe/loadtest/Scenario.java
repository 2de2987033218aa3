package io.photopipe.loadtest;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The load test scenarios, by their command-line names. */
public enum Scenario {
    /** Virtual users upload photos through the API and poll until each is ready (spike, ramp or sustained). */
    UPLOAD_BURST("upload-burst"),
    /** The producer enqueues a backlog of existing photos at once; the event source mapping scales to drain it. */
    BACKFILL_DRAIN("backfill-drain"),
    /** A sustained upload rate, first alone, then while a rate-limited backfill runs: live latency must hold. */
    MIXED("mixed"),
    /** Uploads with a share of corrupt photos: those end in the DLQ with a reason, the rest are unaffected. */
    POISON_SHARE("poison-share");

    private final String cliName;

    Scenario(String cliName) {
        this.cliName = cliName;
    }

    public String cliName() {
        return cliName;
    }

    /** The scenario of a command-line name; the error lists the valid names. */
    public static Scenario parse(String name) {
        for (Scenario s : values()) {
            if (s.cliName.equals(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown scenario '" + name + "'; choose one of "
                + Arrays.stream(values()).map(Scenario::cliName).collect(Collectors.joining(", ")));
    }

    @Override
    public String toString() {
        return cliName;
    }
}
