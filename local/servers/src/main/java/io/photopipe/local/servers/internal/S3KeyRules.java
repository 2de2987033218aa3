package io.photopipe.local.servers.internal;

/**
 * The object keys Amazon S3 itself refuses, checked on the request path before S3Proxy sees it (S3Proxy accepts them
 * all, and its store then failed with a 500 or stored them under another key). Everything not refused here is a key
 * S3 stores literally, and {@link KeyEncodingBlobStore} stores it so.
 *
 * <ul>
 *   <li>more than 1,024 bytes of UTF-8: {@code 400 KeyTooLongError} "Your key is too long." with {@code Size} and
 *       {@code MaxSizeAllowed} ("a maximum length of 1,024 bytes",
 *       <a href="https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-keys.html">Naming Amazon S3
 *       objects</a>; the code from <a href="https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html">Error
 *       responses</a>);</li>
 *   <li>percent-escapes that are not valid UTF-8: {@code 400 InvalidURI} "Couldn't parse the specified URI." (keys
 *       are "a sequence of Unicode characters encoded in UTF-8"; S3 answers such bytes with InvalidURI, as reported in
 *       larrabee/s3sync#45 and apache/ozone#10860);</li>
 *   <li>{@code ..} segments that climb above the bucket ({@code ../x}, {@code a/../../x}, also spelt {@code %2E%2E}
 *       or with an encoded slash): {@code 400 Bad Request} with an empty body, as S3 answers them (verified against
 *       AWS with signed requests in floci-io/floci#1231 and #1320). A {@code ..} that stays inside
 *       ({@code uploads/../renditions/x}), {@code .} and empty segments are ordinary key text to S3: stored literally,
 *       never resolved.</li>
 * </ul>
 * Control characters are valid key characters ("An object key can contain any Unicode character", ListObjectsV2's
 * {@code EncodingType}), so they pass. SDKs send dot segments as they are (Smithy's
 * {@code S3PreservesLeadingDotSegmentInUriLabel} / {@code ...EmbeddedDotSegment...} protocol tests).
 */
final class S3KeyRules {
    /** S3's limit on a key, in bytes of UTF-8. */
    static final int MAX_KEY_BYTES = 1024;

    /**
     * Why S3 refuses a request.
     *
     * @param status HTTP status
     * @param code   S3 error code, or null for S3's bodiless answer
     * @param xml    the error document's elements after Code (Message and the like), or null
     */
    record Refusal(int status, String code, String xml) {
    }

    private S3KeyRules() {
    }

    /** The refusal for a path-style request target ({@code /bucket/key?query}), or null when S3 would accept it. */
    static Refusal check(String target) {
        String path = RequestHead.rawPath(target);
        if (!path.startsWith("/")) {
            return null;
        }
        int slash = path.indexOf('/', 1);
        if (slash < 0 || slash == path.length() - 1) {
            return null; // a bucket-level request (or "/bucket/", which is one too)
        }
        byte[] bytes = Percent.decode(path, slash + 1, path.length(), true); // S3Proxy reads '+' as ' ': 1 byte too
        String key = bytes == null ? null : Percent.utf8(bytes);
        if (key == null) {
            return new Refusal(400, "InvalidURI", "<Message>Couldn't parse the specified URI.</Message><URI>"
                    + xml(path) + "</URI>");
        }
        if (climbsAboveRoot(key)) {
            return new Refusal(400, null, null);
        }
        if (bytes.length > MAX_KEY_BYTES) {
            return new Refusal(400, "KeyTooLongError", "<Message>Your key is too long.</Message><Size>" + bytes.length
                    + "</Size><MaxSizeAllowed>" + MAX_KEY_BYTES + "</MaxSizeAllowed>");
        }
        return null;
    }

    /** Whether resolving the key's {@code ..} segments would leave the bucket ({@code .} and empty ones stay put). */
    static boolean climbsAboveRoot(String key) {
        int depth = 0;
        for (String segment : key.split("/", -1)) {
            if (segment.equals("..")) {
                if (depth == 0) {
                    return true;
                }
                depth--;
            } else if (!segment.isEmpty() && !segment.equals(".")) {
                depth++;
            }
        }
        return false;
    }

    /**
     * The target with every {@code %2F} in its path written as {@code /}: S3 reads the key from the decoded path and
     * signs the key with its slashes as they are (the AWS SDK for Java v2 sends {@code a//b} as {@code /bucket/a/%2Fb}
     * and signs {@code /bucket/a//b}), while S3Proxy checks the signature against the path as sent.
     */
    static String canonicalSlashes(String target) {
        int q = target.indexOf('?');
        String path = q < 0 ? target : target.substring(0, q);
        if (!path.contains("%2F") && !path.contains("%2f")) {
            return target;
        }
        return path.replace("%2F", "/").replace("%2f", "/") + (q < 0 ? "" : target.substring(q));
    }

    private static String xml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
