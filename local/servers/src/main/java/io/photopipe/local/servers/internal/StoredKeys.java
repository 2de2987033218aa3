package io.photopipe.local.servers.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The names S3 keys get on S3Proxy's filesystem (and in-memory) store, so that every key S3 stores is stored
 * literally, as its own object. Hand-written because S3Proxy's NIO.2 stores map a key straight to a path and
 * normalize it: {@code uploads/../renditions/x} became {@code renditions/x}, {@code ./x} became {@code x}, a key that
 * is a directory of another ({@code a} and {@code a/b}) could not exist, and a key segment over 255 bytes failed.
 *
 * <p>The layout keeps the key's {@code /} segments as directories (so a listing under a prefix only walks that
 * subtree) and makes every other part unambiguous:
 * <ul>
 *   <li>bytes outside printable ASCII, {@code %}, and a {@code .} that starts a stored name are written {@code %XX}
 *       (so no stored name is {@code .}, {@code ..}, hidden, non-ASCII or one of S3Proxy's own {@code .mpus-} /
 *       {@code .s3proxy-} names, whatever the locale);</li>
 *   <li>a segment followed by {@code /} is a directory named {@code <escaped>%2F}, and the last segment is a file, so
 *       {@code a} (file {@code a}) and {@code a/b} (directory {@code a%2F}) coexist, and an empty segment
 *       ({@code a//b}) is the directory {@code %2F};</li>
 *   <li>an empty last segment (a key ending in {@code /}) is the file {@code %};</li>
 *   <li>a segment whose escaped form is longer than {@link #MAX_NAME} is cut into pieces, each but the last a
 *       directory {@code <piece>%+} (filesystems allow 255 bytes per name, keys 1,024 per key).</li>
 * </ul>
 * {@code %2F}, {@code %+} and a lone {@code %} never come out of the escaping, so {@link #decode} is exact: it
 * returns the key for every name {@link #encode} made, and null for anything else (S3Proxy's multipart
 * bookkeeping, or objects written before this layout, which {@link KeyEncodingBlobStore} migrates).
 */
public final class StoredKeys {
    /** Longest stored name, in bytes: well under 255, leaving room for S3Proxy's temporary {@code -<uuid>} suffix. */
    static final int MAX_NAME = 180;
    private static final String DIR = "%2F";
    private static final String MORE = "%+";
    private static final String EMPTY_LAST = "%";
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private StoredKeys() {
    }

    /** The store's name for {@code key}: never ends in {@code /}, never contains {@code .}/{@code ..} segments. */
    public static String encode(String key) {
        String[] segments = key.split("/", -1);
        StringBuilder out = new StringBuilder(key.length() + 16);
        for (int i = 0; i < segments.length; i++) {
            boolean last = i == segments.length - 1;
            if (last && segments[i].isEmpty()) {
                out.append(EMPTY_LAST);
                break;
            }
            List<String> pieces = pieces(segments[i].getBytes(StandardCharsets.UTF_8), last ? 0 : DIR.length());
            for (int p = 0; p < pieces.size(); p++) {
                out.append(pieces.get(p));
                if (p < pieces.size() - 1) {
                    out.append(MORE).append('/');
                } else if (!last) {
                    out.append(DIR).append('/');
                }
            }
        }
        return out.toString();
    }

    /**
     * The directory part of a listing prefix: the stored name of everything up to and including its last {@code /}
     * ({@code ""} when it has none), which every stored name of a key with that prefix starts with.
     */
    public static String encodeDirectories(String prefix) {
        int slash = prefix == null ? -1 : prefix.lastIndexOf('/');
        if (slash < 0) {
            return "";
        }
        String dirs = prefix.substring(0, slash + 1); // ends with '/', so its encoding ends with "%/" + "%" ...
        String encoded = encode(dirs);
        return encoded.substring(0, encoded.length() - EMPTY_LAST.length()); // ... minus the empty last segment
    }

    /** The key a stored name stands for, or null when {@code name} is not one {@link #encode} makes. */
    public static String decode(String name) {
        if (name == null || name.isEmpty()) {
            return null;
        }
        String[] parts = name.split("/", -1);
        ByteArrayOutputStream key = new ByteArrayOutputStream(name.length());
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            boolean last = i == parts.length - 1;
            int end;
            boolean slash = false;
            if (part.endsWith(MORE) && !last) {
                end = part.length() - MORE.length();
            } else if (part.endsWith(DIR) && !last) {
                end = part.length() - DIR.length();
                slash = true;
            } else if (last && part.equals(EMPTY_LAST)) {
                if (i > 0 && !parts[i - 1].endsWith(DIR)) {
                    return null; // "%" after a continuation piece: never made by encode
                }
                continue;
            } else if (last) {
                end = part.length();
            } else {
                return null; // a directory without our suffix: S3Proxy's own, or the old layout
            }
            byte[] bytes = Percent.decode(part, 0, end, true);
            if (bytes == null) {
                return null;
            }
            key.writeBytes(bytes);
            if (slash) {
                key.write('/');
            }
        }
        String decoded = Percent.utf8(key.toByteArray());
        if (decoded == null) {
            return null;
        }
        // Only the one spelling encode makes counts (e.g. not "%41" for "A"), so names and keys pair one to one.
        return encode(decoded).equals(name) ? decoded : null;
    }

    /** The escaped segment, cut into pieces that fit {@link #MAX_NAME} with {@code suffix} bytes after the last. */
    private static List<String> pieces(byte[] segment, int suffix) {
        List<String> pieces = new ArrayList<>(1);
        StringBuilder piece = new StringBuilder();
        for (byte b : segment) {
            String escaped = escape(b, piece.isEmpty());
            if (piece.length() + escaped.length() > MAX_NAME - Math.max(MORE.length(), suffix)) {
                pieces.add(piece.toString());
                piece.setLength(0);
                escaped = escape(b, true);
            }
            piece.append(escaped);
        }
        pieces.add(piece.toString());
        return pieces;
    }

    private static String escape(byte b, boolean first) {
        int c = b & 0xff;
        if (c >= 0x20 && c <= 0x7e && c != '%' && !(first && c == '.')) {
            return String.valueOf((char) c);
        }
        return new String(new char[] {'%', HEX[c >> 4], HEX[c & 0xf]});
    }
}
