package io.photopipe.local.notify.internal;

import java.time.Clock;
import java.util.HexFormat;

/**
 * Makes the {@code sequencer} of S3 event records: a hex string that, compared as S3 documents (pad the shorter
 * with leading zeros, then compare lexically), orders the events of one key
 * (<a href="https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-content-structure.html">event
 * message structure</a>). Ours increases across all keys and across restarts: microseconds since the epoch,
 * bumped by one when two events fall in the same microsecond or the clock steps back.
 */
public final class Sequencer {
    private final Clock clock;
    private long last;

    public Sequencer(Clock clock) {
        this.clock = clock;
    }

    public Sequencer() {
        this(Clock.systemUTC());
    }

    /** The next sequencer: 18 upper-case hex digits, as long as S3's. */
    public synchronized String next() {
        var now = clock.instant();
        long micros = now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
        last = Math.max(last + 1, micros);
        return "00" + HexFormat.of().withUpperCase().toHexDigits(last);
    }
}
