package io.photopipe.api;

import java.time.Duration;

/**
 * How long a presigned upload lives: as short as its size allows, and never longer than
 * {@link ApiConfig#uploadUrlExpiry()}.
 *
 * <p>S3 checks a presigned URL's expiry when a request starts, not when it ends ("if a client begins to download a
 * large file immediately before the expiration time, the download continues even if the expiration time passes",
 * <a href="https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-presigned-url.html">Using presigned URLs</a>).
 * So a URL needs to outlive the moment its PUT starts, and, for a transfer that breaks off near its end, the moment
 * the retry starts: one whole transfer at the slowest uplink served, plus {@link #TO_START} for the client to begin.
 * At {@link #SLOW_UPLINK_BYTES_PER_SECOND} (1 Mbit/s, a poor mobile uplink) the 50 MB default maximum needs
 * 60 + 420 s = 8 minutes, a 4 MB phone photo 94 s. The default ceiling of 600 s covers the largest photo with room
 * to spare; a stolen URL is of no use after that, and of no use before (S3 accepts one PUT per URL).
 */
final class UploadExpiry {
    /** From the answer to the first byte of the PUT: a client starting right away, or after a first failure. */
    static final Duration TO_START = Duration.ofSeconds(60);
    /** 1 Mbit/s: the slowest uplink an upload is given time for. */
    static final long SLOW_UPLINK_BYTES_PER_SECOND = 125_000;

    private UploadExpiry() {
    }

    /** The lifetime of a presigned upload of {@code bytes}, at most {@code ceiling}. */
    static Duration forSize(long bytes, Duration ceiling) {
        long transferSeconds = (bytes + SLOW_UPLINK_BYTES_PER_SECOND - 1) / SLOW_UPLINK_BYTES_PER_SECOND;
        Duration needed = TO_START.plusSeconds(transferSeconds);
        return needed.compareTo(ceiling) < 0 ? needed : ceiling;
    }
}
