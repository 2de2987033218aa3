package io.photopipe.api;

import java.text.Normalizer;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Turns the file name a client declares into the last segment of an S3 key that is safe everywhere: in a key, in a
 * URL, in a shell, on any file system. The result matches {@link #SAFE}: ASCII letters, digits, '.', '-', '_', at most
 * {@value #MAX_LENGTH} characters, starting with a letter or digit, never "." or "..", ending with an extension that
 * matches the declared content type. Paths ({@code ../}, {@code C:\}), control and format characters (bidi overrides,
 * zero-width joiners), look-alike letters (fullwidth, ligatures: NFKC folds them) and accents never survive it.
 * The name is cosmetic: the id before it is what makes a key unique.
 */
public final class FileNames {
    /** The form of every name {@link #sanitise} returns. */
    public static final Pattern SAFE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
    /** Longest name {@link #sanitise} returns. */
    public static final int MAX_LENGTH = 100;
    /** Longest name a client may declare. */
    public static final int MAX_DECLARED_LENGTH = 255;

    private static final int MAX_BASE_LENGTH = 80;
    private static final Pattern MARKS = Pattern.compile("\\p{M}+");
    private static final Pattern UNSAFE = Pattern.compile("[^A-Za-z0-9._-]+");
    private static final Pattern RUNS = Pattern.compile("([._-])[._-]+");
    private static final Map<String, List<String>> EXTENSIONS = Map.of(
            "image/jpeg", List.of("jpg", "jpeg", "jpe", "jfif"),
            "image/png", List.of("png"),
            "image/webp", List.of("webp"),
            "image/gif", List.of("gif"),
            "image/tiff", List.of("tif", "tiff"),
            "image/bmp", List.of("bmp", "dib"),
            "image/heic", List.of("heic"),
            "image/avif", List.of("avif"));

    private FileNames() {
    }

    /**
     * The safe form of a declared file name for a photo of the given (validated, lower-case) content type.
     *
     * @param declared    the client's file name; checked by the caller to be non-blank and at most
     *                    {@value #MAX_DECLARED_LENGTH} characters
     * @param contentType the declared content type
     */
    public static String sanitise(String declared, String contentType) {
        // Fold compatibility forms first (fullwidth letters and slashes, ligatures), then drop accents:
        // "Ｃａｆé" -> "Cafe", "..／x" -> "../x"
        String name = Normalizer.normalize(declared, Normalizer.Form.NFKC);
        name = MARKS.matcher(Normalizer.normalize(name, Normalizer.Form.NFD)).replaceAll("");
        // Only the last path segment is a file name (browsers send just that; other clients may not)
        name = name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
        // The extension stays only when it is one of the declared type's; otherwise it is part of the name
        List<String> allowed = extensionsOf(contentType);
        String extension = allowed.getFirst();
        int dot = name.lastIndexOf('.');
        if (dot >= 0 && allowed.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT))) {
            extension = name.substring(dot + 1).toLowerCase(Locale.ROOT);
            name = name.substring(0, dot);
        }
        // Everything outside the safe set (controls, format characters, spaces, other scripts) and every dot left
        // becomes '-', so the base can never be "." or ".." nor carry a second extension
        String base = UNSAFE.matcher(name.replace('.', '-')).replaceAll("-");
        base = trim(RUNS.matcher(base).replaceAll("$1"));
        if (base.length() > MAX_BASE_LENGTH) {
            base = trim(base.substring(0, MAX_BASE_LENGTH));
        }
        if (base.isEmpty()) {
            base = "photo";
        }
        return base + "." + extension;
    }

    /** The extensions a content type's files carry, the preferred one first. */
    static List<String> extensionsOf(String contentType) {
        List<String> known = EXTENSIONS.get(contentType);
        if (known != null) {
            return known;
        }
        // A type configured by the operator that we have no table entry for: its subtype, made safe
        String subtype = contentType.substring(contentType.indexOf('/') + 1).toLowerCase(Locale.ROOT);
        subtype = subtype.replaceFirst("^x-", "").replaceAll("[^a-z0-9]", "");
        if (subtype.length() > 10) {
            subtype = subtype.substring(0, 10);
        }
        return List.of(subtype.isEmpty() ? "bin" : subtype);
    }

    private static String trim(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && !Character.isLetterOrDigit(s.charAt(start))) {
            start++;
        }
        while (end > start && !Character.isLetterOrDigit(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(start, end);
    }
}
