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
 * @param jpeg        a JPEG's frame header (what libjpeg will allocate), or null
 * @param plainTiff   a TIFF whose first image is 8-bit RGB or grey (black is zero), interleaved, without extra
 *                    samples, compressed with LZW or Deflate: what the native reader decodes as well as ImageIO
 *                    and faster (uncompressed TIFFs are faster through ImageIO)
 * @param samples     samples (channels) per pixel the header declares (JPEG components, PNG colour type, TIFF
 *                    SamplesPerPixel); 0 when not known from the container
 */
public record Metadata(int orientation, byte[] iccProfile, byte[] jpegIcc, JpegFrame jpeg, boolean plainTiff,
                       int samples) {

    /**
     * A JPEG's start of frame (SOFn) and first scan (SOS).
     *
     * @param progressive   SOF2/6/10/14
     * @param multiScan     progressive, or the first scan holds fewer than all components: libjpeg then keeps the
     *                      whole image's DCT coefficients in memory (jdcoefct.c, "full-image buffer")
     * @param precision     bits per sample (8 or 12)
     * @param components    1 grey, 3 YCbCr/RGB, 4 CMYK/YCCK
     * @param blocks        8x8 blocks over all components at full resolution (each component's own sampling)
     */
    public record JpegFrame(boolean progressive, boolean multiScan, int precision, int components, long blocks) {

        /** Bytes of libjpeg's whole-image coefficient buffer: 64 coefficients of 2 bytes per block (0 if none). */
        public long coefficientBytes() {
            return multiScan ? blocks * 128 : 0;
        }
    }

    private static final int TAG_ORIENTATION = TIFF.TAG_ORIENTATION;
    private static final int MAX_ICC = 4 << 20;

    /** Reads what {@code format} carries; never throws (bad metadata means "none"). */
    public static Metadata of(byte[] b, Sniffer.Format format) {
        try {
            return switch (format) {
                case JPEG -> jpeg(b, orientation(jpegExif(b)), jpegIcc(b));
                case TIFF -> tiff(b);
                case WEBP -> new Metadata(orientation(webpExif(b)), null, null, null, false, 0);
                case PNG -> png(b);
                default -> new Metadata(1, null, null, null, false, 0);
            };
        } catch (IOException | RuntimeException e) {
            return format == Sniffer.Format.JPEG ? jpeg(b, 1, null) : new Metadata(1, null, null, null, false, 0);
        }
    }

    private static Metadata jpeg(byte[] b, int orientation, byte[] icc) {
        JpegFrame frame = jpegFrame(b);
        return new Metadata(orientation, null, icc, frame, false, frame == null ? 0 : frame.components());
    }

    private static Metadata tiff(byte[] b) throws IOException {
        Directory ifd0 = new TIFFReader().read(new ByteArrayImageInputStream(b, 0, b.length));
        int compression = number(ifd0, TIFF.TAG_COMPRESSION, 1);
        int photometric = number(ifd0, TIFF.TAG_PHOTOMETRIC_INTERPRETATION, -1);
        int samples = number(ifd0, TIFF.TAG_SAMPLES_PER_PIXEL, 1);
        Entry bits = ifd0.getEntryById(TIFF.TAG_BITS_PER_SAMPLE);
        boolean eightBit = bits == null || (bits.getValue() instanceof Number n ? n.intValue() == 8
                : bits.getValue() instanceof int[] a ? java.util.Arrays.stream(a).allMatch(v -> v == 8)
                : bits.getValue() instanceof short[] s && allEight(s));
        boolean plain = (compression == 5 || compression == 8 || compression == 32946)
                && ((photometric == 2 && samples == 3) || (photometric == 1 && samples == 1)) && eightBit
                && number(ifd0, TIFF.TAG_PLANAR_CONFIGURATION, 1) == 1 && ifd0.getEntryById(TIFF.TAG_EXTRA_SAMPLES) == null
                && number(ifd0, TIFF.TAG_SAMPLE_FORMAT, 1) == 1 && ifd0.getEntryById(TIFF.TAG_ICC_PROFILE) == null;
        Entry e = ifd0.getEntryById(TAG_ORIENTATION);
        int orientation = e != null && e.getValue() instanceof Number n && n.intValue() >= 1 && n.intValue() <= 8
                ? n.intValue() : 1;
        return new Metadata(orientation, null, null, null, plain, samples);
    }

    private static boolean allEight(short[] s) {
        for (short v : s) {
            if (v != 8) {
                return false;
            }
        }
        return true;
    }

    private static int number(Directory dir, int tag, int absent) {
        Entry e = dir.getEntryById(tag);
        return e == null ? absent : e.getValue() instanceof Number n ? n.intValue() : -1;
    }

    /** Sees one JPEG marker segment: its marker, the offset of its 0xFF, its length; false stops the walk. */
    private interface Segment {
        boolean visit(int marker, int at, int length);
    }

    /** Walks the marker segments from SOI up to and including the first SOS (never the entropy-coded data). */
    private static void segments(byte[] b, Segment segment) {
        int p = 2;
        while (p + 4 <= b.length) {
            if ((b[p] & 0xFF) != 0xFF) {
                return;
            }
            int marker = b[p + 1] & 0xFF;
            if (marker == 0xFF) {
                p++;
                continue;
            }
            int len = u16be(b, p + 2);
            if (marker == 0xD9 || !segment.visit(marker, p, len) || marker == 0xDA) {
                return;
            }
            p += 2 + len;
        }
    }

    /** The SOFn and the first SOS; null if absent or malformed. */
    static JpegFrame jpegFrame(byte[] b) {
        JpegFrame[] frame = new JpegFrame[1];
        long[] blocks = new long[1];
        int[] sof = new int[3]; // progressive (0/1), precision, components
        segments(b, (marker, p, len) -> {
            boolean isSof = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
            if (isSof && p + 10 <= b.length) {
                sof[0] = marker == 0xC2 || marker == 0xC6 || marker == 0xCA || marker == 0xCE ? 1 : 0;
                sof[1] = b[p + 4] & 0xFF;
                sof[2] = b[p + 9] & 0xFF;
                blocks[0] = blocks(b, p, u16be(b, p + 7), u16be(b, p + 5), sof[2]);
            } else if (marker == 0xDA && sof[2] > 0) {
                int inScan = p + 4 < b.length ? b[p + 4] & 0xFF : sof[2];
                frame[0] = new JpegFrame(sof[0] == 1, sof[0] == 1 || inScan < sof[2], sof[1], sof[2], blocks[0]);
            }
            return true;
        });
        return frame[0];
    }

    /** 8x8 blocks of all components at full resolution, each at its own sampling (SOF component specs). */
    private static long blocks(byte[] b, int p, int w, int h, int components) {
        int hmax = 1;
        int vmax = 1;
        for (int c = 0; c < components && p + 12 + 3 * c < b.length; c++) {
            int f = b[p + 11 + 3 * c] & 0xFF;
            hmax = Math.max(hmax, f >> 4);
            vmax = Math.max(vmax, f & 15);
        }
        long blocks = 0;
        for (int c = 0; c < components && p + 12 + 3 * c < b.length; c++) {
            int f = b[p + 11 + 3 * c] & 0xFF;
            long cw = ((long) w * Math.max(1, f >> 4) + hmax - 1) / hmax;
            long ch = ((long) h * Math.max(1, f & 15) + vmax - 1) / vmax;
            blocks += ((cw + 7) / 8) * ((ch + 7) / 8);
        }
        return blocks;
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
        Slice[] exif = new Slice[1];
        segments(b, (marker, p, len) -> {
            if (marker == 0xE1 && len > 8 && ascii(b, p + 4, "Exif\0\0")) {
                exif[0] = new Slice(b, p + 10, Math.min(len - 8, b.length - p - 10));
                return false;
            }
            return true;
        });
        return exif[0];
    }

    /** APP2 "ICC_PROFILE\0" chunks (sequence number, count, data), joined in order; null if absent or broken. */
    private static byte[] jpegIcc(byte[] b) {
        byte[][][] chunks = new byte[1][][];
        segments(b, (marker, p, len) -> {
            if (marker == 0xE2 && len > 16 && ascii(b, p + 4, "ICC_PROFILE\0") && p + 2 + len <= b.length) {
                int seq = b[p + 16] & 0xFF;
                int count = b[p + 17] & 0xFF;
                if (chunks[0] == null) {
                    chunks[0] = new byte[Math.max(1, count)][];
                }
                if (seq >= 1 && seq <= chunks[0].length) {
                    chunks[0][seq - 1] = java.util.Arrays.copyOfRange(b, p + 18, p + 2 + len);
                }
            }
            return true;
        });
        if (chunks[0] == null) {
            return null;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] c : chunks[0]) {
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
        return new Metadata(orientation, srgb ? null : icc, null, null, false, pngSamples(b));
    }

    /** Channels of a PNG's colour type (IHDR byte 25): grey 1, RGB 3, palette 1, grey+alpha 2, RGBA 4. */
    private static int pngSamples(byte[] b) {
        if (b.length < 26) {
            return 0;
        }
        return switch (b[25]) {
            case 0, 3 -> 1;
            case 2 -> 3;
            case 4 -> 2;
            case 6 -> 4;
            default -> 0;
        };
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
