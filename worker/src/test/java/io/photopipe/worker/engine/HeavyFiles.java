package io.photopipe.worker.engine;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/**
 * Small files that need far more memory than their size suggests (issue 10), written in code: a few hundred KB each,
 * hundreds of MB to decode.
 */
final class HeavyFiles {

    private HeavyFiles() {
    }

    /**
     * A TIFF of {@code w x h} with {@code samples} 8-bit samples per pixel (RGB plus extra samples), one
     * Deflate-compressed strip of zeros: 2048 x 2048 x 200 is 816 KB on disk and 838 MB as a raster.
     */
    static void manySampleTiff(Path file, int w, int h, int samples) throws IOException {
        ByteArrayOutputStream strip = new ByteArrayOutputStream();
        deflateZeros(strip, (long) w * h * samples);
        byte[] data = strip.toByteArray();
        int entries = 11;
        int ifd = 8;
        int bitsAt = ifd + 2 + entries * 12 + 4;
        int extraAt = bitsAt + 2 * samples;
        int stripAt = extraAt + 2 * (samples - 3);
        ByteBuffer b = ByteBuffer.allocate(stripAt).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 'I').put((byte) 'I').putShort((short) 42).putInt(ifd);
        b.putShort((short) entries);
        entry(b, 256, 4, 1, w);            // ImageWidth
        entry(b, 257, 4, 1, h);            // ImageLength
        entry(b, 258, 3, samples, bitsAt); // BitsPerSample (offset to the array)
        entry(b, 259, 3, 1, 8);            // Compression: Deflate
        entry(b, 262, 3, 1, 2);            // Photometric: RGB
        entry(b, 273, 4, 1, stripAt);      // StripOffsets
        entry(b, 277, 3, 1, samples);      // SamplesPerPixel
        entry(b, 278, 4, 1, h);            // RowsPerStrip
        entry(b, 279, 4, 1, data.length);  // StripByteCounts
        entry(b, 284, 3, 1, 1);            // PlanarConfiguration: contiguous
        entry(b, 338, 3, samples - 3, extraAt); // ExtraSamples: unspecified
        b.putInt(0);
        for (int i = 0; i < samples; i++) {
            b.putShort((short) 8);
        }
        for (int i = 3; i < samples; i++) {
            b.putShort((short) 0);
        }
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(b.array());
            out.write(data);
        }
    }

    private static void entry(ByteBuffer b, int tag, int type, int count, int value) {
        b.putShort((short) tag).putShort((short) type).putInt(count);
        if (type == 3 && count == 1) {
            b.putShort((short) value).putShort((short) 0);
        } else {
            b.putInt(value);
        }
    }

    /** A {@code w x 1} 16-bit RGBA PNG of zeros: 33,000,000 x 1 is 257 KB on disk, 264 MB for its one row. */
    static void wideRgba16Png(Path file, int w) throws IOException {
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file)))) {
            out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A});
            byte[] ihdr = ByteBuffer.allocate(13).putInt(w).putInt(1).put((byte) 16).put((byte) 6).array();
            LargePhotoMemoryTest.chunk(out, "IHDR", ihdr, ihdr.length);
            ByteArrayOutputStream z = new ByteArrayOutputStream();
            deflateZeros(z, 1 + 8L * w); // filter byte 0, then the row
            byte[] idat = z.toByteArray();
            LargePhotoMemoryTest.chunk(out, "IDAT", idat, idat.length);
            LargePhotoMemoryTest.chunk(out, "IEND", new byte[0], 0);
        }
    }

    /** zlib-compressed zeros, streamed (never {@code n} bytes in memory). */
    private static void deflateZeros(OutputStream sink, long n) throws IOException {
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
        try (DeflaterOutputStream z = new DeflaterOutputStream(sink, deflater, 1 << 16)) {
            byte[] zeros = new byte[1 << 20];
            for (long left = n; left > 0; left -= zeros.length) {
                z.write(zeros, 0, (int) Math.min(zeros.length, left));
            }
        } finally {
            deflater.end();
        }
    }

    /**
     * A progressive 4:4:4 JPEG of {@code w x h} mid-grey, written scan by scan: a DC scan of all three components
     * (every difference 0: one 1-bit code per block) and one AC scan per component made of end-of-band runs. 12000 x
     * 10000 (120 MP) is 0.7 MB; libjpeg keeps 687 MB (720 million bytes) of DCT coefficients to decode it (progressive: a whole-image
     * buffer, 3 x 1500 x 1250 blocks x 64 x 2 bytes), whatever the reduction.
     */
    static void progressive444Jpeg(Path file, int w, int h) throws IOException {
        long blocks = (long) ((w + 7) / 8) * ((h + 7) / 8);
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16))) {
            out.writeShort(0xFFD8);
            out.writeShort(0xFFDB); // DQT: table 0, all ones
            out.writeShort(67);
            out.write(0);
            for (int i = 0; i < 64; i++) {
                out.write(1);
            }
            out.writeShort(0xFFC2); // SOF2: progressive, 8 bit, three components sampled 1x1 (4:4:4)
            out.writeShort(17);
            out.write(8);
            out.writeShort(h);
            out.writeShort(w);
            out.write(3);
            for (int c = 1; c <= 3; c++) {
                out.write(c);
                out.write(0x11);
                out.write(0);
            }
            out.writeShort(0xFFC4); // DHT DC 0: one symbol (category 0), code "0"
            out.writeShort(20);
            out.write(0x00);
            out.write(1);
            out.write(new byte[15]);
            out.write(0);
            out.writeShort(0xFFC4); // DHT AC 0: EOBRUN classes 0..14 (symbols 0x00..0xE0), 4-bit codes 0..14
            out.writeShort(34);
            out.write(0x10);
            out.write(new byte[] {0, 0, 0, 15, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
            for (int k = 0; k <= 14; k++) {
                out.write(k << 4);
            }
            out.writeShort(0xFFDA); // DC first scan, all components interleaved
            out.writeShort(12);
            out.write(3);
            for (int c = 1; c <= 3; c++) {
                out.write(c);
                out.write(0x00);
            }
            out.write(0);
            out.write(0);
            out.write(0);
            Bits bits = new Bits(out);
            for (long i = 0; i < 3 * blocks; i++) {
                bits.put(0, 1);
            }
            bits.flush();
            for (int c = 1; c <= 3; c++) { // AC first scans, one component each: only end-of-band runs
                out.writeShort(0xFFDA);
                out.writeShort(8);
                out.write(1);
                out.write(c);
                out.write(0x00);
                out.write(1);
                out.write(63);
                out.write(0);
                for (long left = blocks; left > 0; ) {
                    int run = (int) Math.min(left, 32767);
                    int k = 31 - Integer.numberOfLeadingZeros(run);
                    bits.put(k, 4);
                    bits.put(run - (1 << k), k);
                    left -= run;
                }
                bits.flush();
            }
            out.writeShort(0xFFD9);
        }
    }

    /** An entropy-coded segment writer: MSB first, 0xFF stuffed with 0x00, padded with 1-bits. */
    private static final class Bits {
        private final OutputStream out;
        private int acc;
        private int n;

        Bits(OutputStream out) {
            this.out = out;
        }

        void put(int value, int count) throws IOException {
            for (int i = count - 1; i >= 0; i--) {
                acc = acc << 1 | ((value >>> i) & 1);
                if (++n == 8) {
                    emit();
                }
            }
        }

        void flush() throws IOException {
            while (n != 0) {
                put(1, 1);
            }
        }

        private void emit() throws IOException {
            out.write(acc);
            if (acc == 0xFF) {
                out.write(0);
            }
            acc = 0;
            n = 0;
        }
    }
}
