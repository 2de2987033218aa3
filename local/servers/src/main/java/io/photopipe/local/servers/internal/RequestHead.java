package io.photopipe.local.servers.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * What the fault proxy needs from an HTTP/1.1 request head: the method, the decoded path (for fault matching) and
 * the body framing (to find the next request on a keep-alive connection). The bytes themselves are forwarded as
 * they came.
 *
 * @param method        the request method, upper case
 * @param target        the request target as sent (path and query, still percent-encoded)
 * @param decodedPath   the percent-decoded path without query string
 * @param contentLength the Content-Length, or 0 when absent
 * @param chunked       true for {@code Transfer-Encoding: chunked}
 */
record RequestHead(String method, String target, String decodedPath, long contentLength, boolean chunked) {

    static RequestHead parse(byte[] head) throws IOException {
        String text = new String(head, StandardCharsets.ISO_8859_1);
        String[] lines = text.split("\r\n");
        String[] requestLine = lines[0].split(" ");
        if (requestLine.length < 3) {
            throw new IOException("bad request line: " + lines[0]);
        }
        long length = 0;
        boolean chunked = false;
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT);
            String value = lines[i].substring(colon + 1).strip();
            if (name.equals("content-length")) {
                try {
                    length = Long.parseLong(value);
                } catch (NumberFormatException e) {
                    throw new IOException("bad Content-Length: " + value);
                }
            } else if (name.equals("transfer-encoding") && value.toLowerCase(Locale.ROOT).contains("chunked")) {
                chunked = true;
            }
        }
        return new RequestHead(requestLine[0].toUpperCase(Locale.ROOT), requestLine[1], decodePath(requestLine[1]),
                length, chunked);
    }

    /** {@code head} with its request target replaced (the rest of the head byte for byte). */
    static byte[] withTarget(byte[] head, String target) {
        String text = new String(head, StandardCharsets.ISO_8859_1);
        int firstSpace = text.indexOf(' ');
        int secondSpace = text.indexOf(' ', firstSpace + 1);
        return (text.substring(0, firstSpace + 1) + target + text.substring(secondSpace))
                .getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Path of an origin-form or absolute-form target, without query, percent-decoded as UTF-8 ('+' stays '+'). */
    static String decodePath(String target) {
        String path = rawPath(target);
        return new String(Percent.decode(path, 0, path.length(), false), StandardCharsets.UTF_8);
    }

    /** The path of an origin-form or absolute-form target, without its query, still percent-encoded. */
    static String rawPath(String target) {
        String t = target;
        int scheme = t.indexOf("://");
        if (scheme >= 0) {
            int slash = t.indexOf('/', scheme + 3);
            t = slash < 0 ? "/" : t.substring(slash);
        }
        int q = t.indexOf('?');
        return q < 0 ? t : t.substring(0, q);
    }
}
