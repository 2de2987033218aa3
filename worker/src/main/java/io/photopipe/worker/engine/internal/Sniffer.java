package io.photopipe.worker.engine.internal;

import io.photopipe.worker.engine.PhotoRejectedException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Tells what a file is from its first bytes (its "magic"), never from its name: a {@code .jpg} key may hold HTML,
 * and a {@code .png} may hold a JPEG.
 */
public final class Sniffer {

    /** Formats we decode. */
    public enum Format {
        JPEG("jpeg"), PNG("png"), GIF("gif"), WEBP("webp"), TIFF("tiff"), BMP("bmp");

        private final String id;

        Format(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }
    }

    private Sniffer() {
    }

    /** The format of {@code b}, or a rejection saying what the bytes are instead. */
    public static Format sniff(byte[] b) throws PhotoRejectedException {
        if (b.length == 0) {
            throw new PhotoRejectedException(PhotoRejectedException.EMPTY, "the file is empty (0 bytes)");
        }
        if (starts(b, 0, 0xFF, 0xD8, 0xFF)) {
            return Format.JPEG;
        }
        if (starts(b, 0, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
            return Format.PNG;
        }
        if (ascii(b, 0, "GIF87a") || ascii(b, 0, "GIF89a")) {
            return Format.GIF;
        }
        if (ascii(b, 0, "RIFF") && ascii(b, 8, "WEBP")) {
            return Format.WEBP;
        }
        if (starts(b, 0, 'I', 'I', 42, 0) || starts(b, 0, 'M', 'M', 0, 42)) {
            return Format.TIFF;
        }
        if (ascii(b, 0, "BM") && b.length >= 26) {
            return Format.BMP;
        }
        throw unknown(b);
    }

    private static PhotoRejectedException unknown(byte[] b) {
        String unsupported = unsupportedImage(b);
        if (unsupported != null) {
            return new PhotoRejectedException(PhotoRejectedException.UNSUPPORTED_FORMAT, unsupported);
        }
        String what = nonImage(b);
        return new PhotoRejectedException(PhotoRejectedException.NOT_AN_IMAGE, "file is " + what
                + ", not an image (detected from its first bytes; the file name is ignored). "
                + "Supported: JPEG, PNG, GIF, WebP, TIFF, BMP");
    }

    /** A message for image formats we recognise but do not decode, or null. */
    private static String unsupportedImage(byte[] b) {
        if (ascii(b, 4, "ftyp") && b.length >= 12) {
            String brand = new String(b, 8, 4, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
            if (brand.startsWith("hei") || brand.startsWith("hev") || brand.equals("mif1") || brand.equals("msf1")) {
                return "HEIC/HEIF photos are not supported; convert to JPEG (on iPhone: Settings > Camera > Formats > "
                        + "Most Compatible)";
            }
            if (brand.startsWith("avi")) {
                return "AVIF images are not supported; convert to JPEG, PNG or WebP";
            }
            return "this is an ISO media file (brand '" + brand.strip() + "'), e.g. a video, not a supported image";
        }
        if (starts(b, 0, 0xFF, 0x0A) || starts(b, 0, 0, 0, 0, 0x0C, 'J', 'X', 'L', ' ')) {
            return "JPEG XL images are not supported; convert to JPEG";
        }
        if (starts(b, 0, 0, 0, 0, 0x0C, 'j', 'P', ' ', ' ') || starts(b, 0, 0xFF, 0x4F, 0xFF, 0x51)) {
            return "JPEG 2000 images are not supported; convert to JPEG";
        }
        if (ascii(b, 0, "8BPS")) {
            return "Photoshop (PSD) files are not supported; export a JPEG or PNG";
        }
        if (starts(b, 0, 0, 0, 1, 0)) {
            return "ICO icons are not supported; use PNG";
        }
        String head = text(b);
        if (head != null && (head.startsWith("<svg") || (head.startsWith("<?xml") && head.contains("<svg")))) {
            return "SVG (vector) images are not supported; export a PNG";
        }
        return null;
    }

    private static String nonImage(byte[] b) {
        if (ascii(b, 0, "%PDF")) {
            return "a PDF document";
        }
        if (starts(b, 0, 'P', 'K', 3, 4)) {
            return "a ZIP archive";
        }
        if (starts(b, 0, 0x1F, 0x8B)) {
            return "gzip-compressed data";
        }
        String head = text(b);
        if (head != null) {
            String lower = head.toLowerCase(Locale.ROOT);
            if (lower.startsWith("<!doctype html") || lower.startsWith("<html") || lower.contains("<html")) {
                return "HTML text";
            }
            if (lower.startsWith("<?xml")) {
                return "XML text";
            }
            if (lower.startsWith("{") || lower.startsWith("[")) {
                return "JSON text";
            }
            return "plain text";
        }
        return "binary data of an unknown kind (first bytes " + hex(b) + ")";
    }

    /** The start of {@code b} as text, stripped of a BOM and leading blanks, or null if it does not look like text. */
    private static String text(byte[] b) {
        int n = Math.min(b.length, 512);
        int start = starts(b, 0, 0xEF, 0xBB, 0xBF) ? 3 : 0;
        for (int i = start; i < n; i++) {
            int c = b[i] & 0xFF;
            if (c < 0x09 || (c > 0x0D && c < 0x20 && c != 0x1B)) {
                return null;
            }
        }
        return new String(b, start, n - start, StandardCharsets.UTF_8).stripLeading();
    }

    private static String hex(byte[] b) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < Math.min(8, b.length); i++) {
            s.append(String.format("%02x", b[i] & 0xFF));
        }
        return s.toString();
    }

    private static boolean starts(byte[] b, int offset, int... magic) {
        if (b.length < offset + magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if ((b[offset + i] & 0xFF) != (magic[i] & 0xFF)) {
                return false;
            }
        }
        return true;
    }

    private static boolean ascii(byte[] b, int offset, String magic) {
        if (b.length < offset + magic.length()) {
            return false;
        }
        for (int i = 0; i < magic.length(); i++) {
            if (b[offset + i] != magic.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
