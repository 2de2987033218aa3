package io.photopipe.api;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Optional;
import java.util.random.RandomGenerator;
import java.util.regex.Pattern;

/**
 * An upload's id: 26 characters of lower-case Crockford base32, a ULID (48 bits of milliseconds, then 80 random bits
 * from a {@link SecureRandom}). Sortable by time, unguessable, and safe in a key and a URL as it is: ids are made only
 * here, never taken from a client, and {@link #parse} accepts nothing else.
 *
 * @param value the 26-character id
 */
public record ImageId(String value) {
    private static final String DIGITS = "0123456789abcdefghjkmnpqrstvwxyz";
    private static final char[] ALPHABET = DIGITS.toCharArray();
    /** A ULID's first character carries only 3 bits (48 + 80 = 128 = 3 + 25 x 5). */
    private static final Pattern FORM = Pattern.compile("[0-7][0-9a-hjkmnp-tv-z]{25}");

    public ImageId {
        if (value == null || !FORM.matcher(value).matches()) {
            throw new IllegalArgumentException("not an image id: " + value);
        }
    }

    /** A new id for an upload made at {@code now}. */
    public static ImageId random(Instant now, RandomGenerator random) {
        long time = now.toEpochMilli() & 0xFFFF_FFFF_FFFFL;
        long randomHigh = random.nextLong() & 0xFFFFL;      // 16 bits
        long randomLow = random.nextLong();                  // 64 bits
        // 128 bits = time(48) | randomHigh(16) | randomLow(64), written 5 bits at a time from the top
        long hi = (time << 16) | randomHigh;
        char[] out = new char[26];
        for (int i = 25; i >= 0; i--) {
            int bitFromRight = (25 - i) * 5;
            int digit;
            if (bitFromRight + 5 <= 64) {
                digit = (int) ((randomLow >>> bitFromRight) & 31);
            } else if (bitFromRight >= 64) {
                digit = (int) ((hi >>> (bitFromRight - 64)) & 31);
            } else {
                int lowBits = 64 - bitFromRight;
                digit = (int) (((randomLow >>> bitFromRight) | (hi << lowBits)) & 31);
            }
            out[i] = ALPHABET[digit];
        }
        return new ImageId(new String(out));
    }

    /** The smallest id of the millisecond {@code at}: every id made at or after it sorts after it. */
    public static ImageId earliestAt(Instant at) {
        return random(at, () -> 0L);
    }

    /** When the id was made (its first 48 bits), to the millisecond. */
    public Instant createdAt() {
        long millis = 0;
        // The first 10 characters carry exactly the 48 time bits (3 + 9 x 5)
        for (int i = 0; i < 10; i++) {
            millis = millis * 32 + DIGITS.indexOf(value.charAt(i));
        }
        return Instant.ofEpochMilli(millis);
    }

    /** The id in a client's text, or empty when it is not exactly an id (no trimming, no case folding). */
    public static Optional<ImageId> parse(String text) {
        return text != null && FORM.matcher(text).matches() ? Optional.of(new ImageId(text)) : Optional.empty();
    }

    @Override
    public String toString() {
        return value;
    }
}
