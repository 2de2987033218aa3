package io.photopipe.local.servers.internal;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Percent-escapes and strict UTF-8, for the request paths the fault proxy reads and the names keys are stored under. */
final class Percent {
    private Percent() {
    }

    /**
     * The bytes {@code s[from, to)} stands for, with {@code %XX} undone and other chars taken as bytes (a request head
     * is read as ISO-8859-1, so raw UTF-8 bytes come through unchanged). A malformed escape, or a char above 0xFF:
     * null when {@code strict}, else kept as it is.
     */
    static byte[] decode(String s, int from, int to, boolean strict) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(to - from);
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            int hi = c == '%' && i + 2 < to ? Character.digit(s.charAt(i + 1), 16) : -1;
            int lo = hi >= 0 ? Character.digit(s.charAt(i + 2), 16) : -1;
            if (hi >= 0 && lo >= 0) {
                out.write(hi * 16 + lo);
                i += 2;
            } else if ((c == '%' || c > 0xff) && strict) {
                return null;
            } else if (c > 0xff) {
                out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            } else {
                out.write(c);
            }
        }
        return out.toByteArray();
    }

    /** The text of UTF-8 bytes, or null when they are not UTF-8. */
    static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
