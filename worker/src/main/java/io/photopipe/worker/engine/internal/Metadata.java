package io.photopipe.worker.engine.internal;

import com.twelvemonkeys.imageio.metadata.Directory;
import com.twelvemonkeys.imageio.metadata.Entry;
import com.twelvemonkeys.imageio.metadata.tiff.TIFF;
import com.twelvemonkeys.imageio.metadata.tiff.TIFFReader;
import com.twelvemonkeys.imageio.stream.ByteArrayImageInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Finds the metadata the decoders do not apply by themselves, by walking the container's segments or chunks
 * (never the pixel data): the EXIF block of every format that carries one (JPEG APP1, TIFF IFD0, WebP {@code EXIF}
 * chunk, PNG {@code eXIf} chunk), read with TwelveMonkeys' TIFF metadata reader, and PNG's {@code iCCP} profile
 * (the JDK's PNG reader ignores it; TwelveMonkeys' JPEG reader already converts embedded profiles to sRGB).
 *
 * @param orientation EXIF orientation 1 to 8 (1 when absent or unreadable)
 * @param iccProfile  an ICC profile ImageIO's decoder will not apply (PNG iCCP), or null
 * @param jpegIcc     a JPEG's embedded ICC profile (APP2 chunks joined), which TwelveMonkeys applies itself but the
 *                    native fast path must apply; null when absent
 */
public record Metadata(int orientation, byte[] iccProfile, byte[] jpegIcc) {

    private static final int TAG_ORIENTATION = TIFF.TAG_ORIENTATION;
    private static final int MAX_ICC = 4 << 20;

    /** Reads what {@code format} carries; never throws (bad metadata means "none"). */
    public static Metadata of(byte[] b, Sniffer.Format format) {
        try {
            return switch (format) {
                case JPEG -> new Metadata(orientation(jpegExif(b)), null, jpegIcc(b));
                case TIFF -> new Metadata(orientation(new Slice(b, 0, b.length)), null, null);
                case WEBP -> new Metadata(orientation(webpExif(b)), null, null);
                case PNG -> png(b);
                default -> new Metadata(1, null, null);
            };
        } catch (IOException | RuntimeException e) {
            return new Metadata(1, null, null);
        }
    }

    private record Slice(byte[] bytes, int offset, int length) {
    }

    private static int orientation(Slice exif) throws IOException {
        if (exif == null || exif.length < 8) {
            return 1;
        }
        Directory ifd0 = new TIFFReader().read(new ByteArrayImageInputStream(exif.bytes, exif.offset, exif.length));
        Entry e = ifd0.getEntryById(TAG_ORIENTATION);
        if (e != null && e.getValue() instanceof Number n && n.intValue() >= 1 && n.intValue() <= 8) {
            return n.intValue();
        }
        return 1;
    }

    /** The TIFF structure inside the first APP1 "Exif" segment, searched up to the first scan. */
    private static Slice jpegExif(byte[] b) {
        int p = 2;
        while (p + 4 <= b.length) {
            if ((b[p] & 0xFF) != 0xFF) {
                return null;
            }
            int marker = b[p + 1] & 0xFF;
            if (marker == 0xFF) {
                p++;
                continue;
            }
            if (marker == 0xDA || marker == 0xD9) {
                return null;
            }
            int len = u16be(b, p + 2);
            if (marker == 0xE1 && len > 8 && ascii(b, p + 4, "Exif\0\0")) {
                return new Slice(b, p + 10, Math.min(len - 8, b.length - p - 10));
            }
            p += 2 + len;
        }
        return null;
    }

    /** APP2 "ICC_PROFILE\0" chunks (sequence number, count, data), joined in order; null if absent or broken. */
    private static byte[] jpegIcc(byte[] b) {
        byte[][] chunks = null;
        int p = 2;
        while (p + 4 <= b.length) {
            if ((b[p] & 0xFF) != 0xFF) {
                return null;
            }
            int marker = b[p + 1] & 0xFF;
            if (marker == 0xFF) {
                p++;
                continue;
            }
            if (marker == 0xDA || marker == 0xD9) {
                break;
            }
            int len = u16be(b, p + 2);
            if (marker == 0xE2 && len > 16 && ascii(b, p + 4, "ICC_PROFILE\0") && p + 2 + len <= b.length) {
                int seq = b[p + 16] & 0xFF;
                int count = b[p + 17] & 0xFF;
                if (chunks == null) {
                    chunks = new byte[Math.max(1, count)][];
                }
                if (seq >= 1 && seq <= chunks.length) {
                    chunks[seq - 1] = java.util.Arrays.copyOfRange(b, p + 18, p + 2 + len);
                }
            }
            p += 2 + len;
        }
        if (chunks == null) {
            return null;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] c : chunks) {
            if (c == null) {
                return null;
            }
            out.writeBytes(c);
        }
        return out.toByteArray();
    }

    private static Slice webpExif(byte[] b) {
        int p = 12;
        while (p + 8 <= b.length) {
            String id = new String(b, p, 4, StandardCharsets.ISO_8859_1);
            int len = u32le(b, p + 4);
            if (len < 0) {
                return null;
            }
            if (id.equals("EXIF")) {
                int start = p + 8;
                int n = Math.min(len, b.length - start);
                // some writers keep the JPEG "Exif\0\0" prefix in the chunk
                if (ascii(b, start, "Exif\0\0")) {
                    start += 6;
                    n -= 6;
                }
                return new Slice(b, start, n);
            }
            p += 8 + len + (len & 1);
        }
        return null;
    }

    private static Metadata png(byte[] b) throws IOException {
        int p = 8;
        int orientation = 1;
        byte[] icc = null;
        boolean srgb = false;
        while (p + 8 <= b.length) {
            int len = u32be(b, p);
            if (len < 0) {
                break;
            }
            String type = new String(b, p + 4, 4, StandardCharsets.ISO_8859_1);
            int data = p + 8;
            int n = Math.min(len, b.length - data);
            if (type.equals("IDAT") || type.equals("IEND")) {
                break;
            }
            if (type.equals("eXIf")) {
                orientation = orientation(new Slice(b, data, n));
            } else if (type.equals("sRGB")) {
                srgb = true;
            } else if (type.equals("iCCP")) {
                icc = inflateIcc(b, data, n);
            }
            p = data + len + 4;
        }
        return new Metadata(orientation, srgb ? null : icc, null);
    }

    /** iCCP: name, NUL, compression method (0 = zlib), compressed profile. */
    private static byte[] inflateIcc(byte[] b, int start, int n) {
        int nul = start;
        while (nul < start + n && b[nul] != 0) {
            nul++;
        }
        int from = nul + 2;
        if (from >= start + n) {
            return null;
        }
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(b, from, start + n - from);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            while (!inflater.finished() && out.size() < MAX_ICC) {
                int k = inflater.inflate(buf);
                if (k == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    break;
                }
                out.write(buf, 0, k);
            }
            return inflater.finished() ? out.toByteArray() : null;
        } catch (DataFormatException e) {
            return null;
        } finally {
            inflater.end();
        }
    }

    private static boolean ascii(byte[] b, int offset, String s) {
        if (offset < 0 || offset + s.length() > b.length) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (b[offset + i] != s.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static int u16be(byte[] b, int p) {
        return p + 2 > b.length ? 0 : (b[p] & 0xFF) << 8 | (b[p + 1] & 0xFF);
    }

    private static int u32be(byte[] b, int p) {
        return p + 4 > b.length ? -1 : (b[p] & 0xFF) << 24 | (b[p + 1] & 0xFF) << 16 | (b[p + 2] & 0xFF) << 8 | (b[p + 3] & 0xFF);
    }

    private static int u32le(byte[] b, int p) {
        return p + 4 > b.length ? -1 : (b[p + 3] & 0xFF) << 24 | (b[p + 2] & 0xFF) << 16 | (b[p + 1] & 0xFF) << 8 | (b[p] & 0xFF);
    }
}
