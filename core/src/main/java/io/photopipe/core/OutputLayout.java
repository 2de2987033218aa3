package io.photopipe.core;

/**
 * Where renditions live. A photo at {@code <inputPrefix><path>} has its renditions at
 * {@code <outputPrefix><path>/<rendition>.<ext>} in the output bucket, for example
 * {@code uploads/2024/cat.jpg} gives {@code renditions/2024/cat.jpg/thumb.jpg}. The layout is deterministic and
 * collision-free: rendition names cannot contain '/', so the last segment names the rendition and everything before
 * it names exactly one source key. Keys under the output prefix are never inputs (no S3 to Lambda to S3 loop).
 */
public record OutputLayout(String inputBucket, String inputPrefix, String outputBucket, String outputPrefix) {

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
        return renditionPrefix(sourceKey) + "_status.json";
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
     * sharing the prefix, such as {@code uploads/a.jpg/b.jpg}).
     */
    public boolean isRenditionOf(String sourceKey, String key) {
        String prefix = renditionPrefix(sourceKey);
        return key.startsWith(prefix) && key.indexOf('/', prefix.length()) < 0;
    }
}
