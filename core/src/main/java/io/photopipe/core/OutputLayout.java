package io.photopipe.core;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * Where renditions live. A photo at {@code <inputPrefix><path>} has its renditions at
 * {@code <outputPrefix><path>/<rendition>.<ext>} in the output bucket, for example
 * {@code uploads/2024/cat.jpg} gives {@code renditions/2024/cat.jpg/thumb.jpg}. The layout is deterministic and
 * collision-free: rendition names cannot contain '/', so the last segment names the rendition and everything before
 * it names exactly one source key. Keys under the output prefix are never inputs (no S3 to Lambda to S3 loop).
 *
 * <p>Only keys that pass {@link #refusal} may be mapped: the worker derives no output key from any other key, so
 * every key it writes stays under the output prefix, whatever a client or a path-normalising S3 endpoint does with
 * {@code ..}, {@code .}, empty segments or backslashes.
 */
public record OutputLayout(String inputBucket, String inputPrefix, String outputBucket, String outputPrefix) {

    /** S3's limit on a key: 1,024 bytes of UTF-8 (https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-keys.html). */
    public static final int MAX_KEY_BYTES = 1024;
    /** Name of the status document under a photo's prefix. */
    public static final String STATUS_NAME = "_status.json";
    /** Name of the attempt record ({@link AttemptRecord}) under a photo's prefix. */
    public static final String ATTEMPT_NAME = "_attempt.json";
    /**
     * The longest last segment the layout puts under a photo's prefix: a rendition name, a dot and the longest
     * extension ({@code webp}); the status and attempt documents are shorter.
     */
    static final int LONGEST_LEAF_BYTES = Math.max(Math.max(STATUS_NAME.length(), ATTEMPT_NAME.length()),
            Rendition.MAX_NAME_CHARS + 1 + Arrays.stream(ImageFormat.values())
                    .mapToInt(f -> f.extension().length()).max().orElseThrow());

    public OutputLayout {
        inputPrefix = inputPrefix == null ? "" : inputPrefix;
    }

    /** Whether a key is a rendition written by photopipe (in the output bucket under the output prefix). */
    public boolean isOutput(String bucket, String key) {
        return bucket.equals(outputBucket) && key.startsWith(outputPrefix);
    }

    /** Whether an object should be processed: in the input bucket, under the input prefix, not an output. */
    public boolean isInput(String bucket, String key) {
        return bucket.equals(inputBucket) && key.startsWith(inputPrefix) && !isOutput(bucket, key)
                && !key.endsWith("/");
    }

    /**
     * Why no output key may be derived from {@code sourceKey}, or empty when it is safe. The part after the input
     * prefix must be one or more '/'-separated segments, each non-empty and neither {@code .} nor {@code ..}, with
     * no backslash (some tools read it as a separator), no control character (C0, DEL, C1), no unpaired surrogate
     * (it has no UTF-8 form), and short enough that its longest output key fits S3's 1,024 bytes. The message names
     * the offending segment.
     */
    public Optional<String> refusal(String sourceKey) {
        String relative = sourceKey.startsWith(inputPrefix) ? sourceKey.substring(inputPrefix.length()) : sourceKey;
        if (relative.isEmpty()) {
            return Optional.of("the key is only the input prefix '" + inputPrefix + "'");
        }
        String[] segments = relative.split("/", -1);
        for (int i = 0; i < segments.length; i++) {
            String s = segments[i];
            String where = "segment " + (i + 1) + " of '" + printable(relative) + "'";
            if (s.isEmpty()) {
                return Optional.of(where + " is empty (a leading, trailing or doubled '/')");
            }
            if (s.equals(".") || s.equals("..")) {
                return Optional.of(where + " is '" + s + "', a relative path segment that clients and servers may "
                        + "resolve to another key");
            }
            for (int j = 0; j < s.length(); j++) {
                char c = s.charAt(j);
                if (c == '\\') {
                    return Optional.of(where + " ('" + printable(s) + "') contains a backslash");
                }
                if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
                    return Optional.of(where + " ('" + printable(s) + "') contains the control character U+"
                            + String.format("%04X", (int) c));
                }
                if (Character.isHighSurrogate(c) && j + 1 < s.length() && Character.isLowSurrogate(s.charAt(j + 1))) {
                    j++;
                } else if (Character.isSurrogate(c)) {
                    return Optional.of(where + " contains an unpaired surrogate U+" + String.format("%04X", (int) c)
                            + " (no UTF-8 form)");
                }
            }
        }
        int longest = renditionPrefix(sourceKey).getBytes(StandardCharsets.UTF_8).length + LONGEST_LEAF_BYTES;
        if (longest > MAX_KEY_BYTES) {
            return Optional.of("its output keys would be up to " + longest + " bytes, more than S3's limit of "
                    + MAX_KEY_BYTES + " (the key is " + sourceKey.getBytes(StandardCharsets.UTF_8).length
                    + " bytes; output keys add '" + outputPrefix + "' and '/" + "<rendition>.<ext>')");
        }
        return Optional.empty();
    }

    /** The common prefix of all renditions of one source key, ending with '/'. */
    public String renditionPrefix(String sourceKey) {
        String relative = sourceKey.startsWith(inputPrefix) ? sourceKey.substring(inputPrefix.length()) : sourceKey;
        return outputPrefix + relative + "/";
    }

    /** The key of one rendition of a source key. */
    public String renditionKey(String sourceKey, Rendition rendition) {
        return renditionPrefix(sourceKey) + rendition.name() + "." + rendition.format().extension();
    }

    /**
     * The key of the photo's status document ({@link PhotoStatus}); its name starts with '_', which rendition names
     * cannot, so it never collides with a rendition.
     */
    public String statusKey(String sourceKey) {
        return renditionPrefix(sourceKey) + STATUS_NAME;
    }

    /** The key of the photo's attempt record ({@link AttemptRecord}), beside its status document. */
    public String attemptKey(String sourceKey) {
        return renditionPrefix(sourceKey) + ATTEMPT_NAME;
    }

    /**
     * Where the upload API keeps its short-lived records (upload tickets, per-client upload counters):
     * {@code <outputPrefix>_api/}. Under the output prefix, so they never trigger the worker; each is written with
     * the tag {@link #EXPIRING_TAG}={@link #EXPIRING_TAG_VALUE}, which a lifecycle rule filters on together with
     * this prefix, so a rendition of a source that happens to live at {@code <inputPrefix>_api/...} is never expired.
     */
    public String apiRecordsPrefix() {
        return outputPrefix + "_api/";
    }

    /** The tag the API puts on its records; the lifecycle rule expires by it (see {@link #apiRecordsPrefix}). */
    public static final String EXPIRING_TAG = "photopipe-lifetime";
    /** The value of {@link #EXPIRING_TAG}: the records are needed for minutes, kept for a day. */
    public static final String EXPIRING_TAG_VALUE = "1d";

    /**
     * Whether {@code key} is a direct rendition of {@code sourceKey} (and not a rendition of a deeper source key
     * sharing the prefix, such as {@code uploads/a.jpg/b.jpg}). The status and attempt documents count too.
     */
    public boolean isRenditionOf(String sourceKey, String key) {
        String prefix = renditionPrefix(sourceKey);
        return key.startsWith(prefix) && key.indexOf('/', prefix.length()) < 0;
    }

    /** A key for messages: control characters and backslashes shown as escapes, at most 200 characters. */
    private static String printable(String s) {
        StringBuilder b = new StringBuilder();
        s.codePoints().limit(200).forEach(cp -> {
            if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || Character.isSurrogate((char) cp) && cp <= 0xFFFF) {
                b.append(String.format("\\u%04x", cp));
            } else {
                b.appendCodePoint(cp);
            }
        });
        return s.codePointCount(0, s.length()) > 200 ? b + "..." : b.toString();
    }
}
