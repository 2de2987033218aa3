package io.photopipe.worker.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 250 MP photo (20000 x 12500 RGB: 750 MB of pixels, 1 GB as ints) renders the default presets inside a 512 MB
 * heap, because it is decoded subsampled row by row and never held at full size.
 */
class LargePhotoMemoryTest {

    static final int WIDTH = 20_000;
    static final int HEIGHT = 12_500;

    @Test
    void a250MegapixelPhotoRendersInA512MbHeap(@TempDir Path dir) throws Exception {
        Path png = dir.resolve("250mp.png");
        writeStripedPng(png, WIDTH, HEIGHT);
        List<String> command = new ArrayList<>(ChildJvm.javaCommand("-Xmx512m"));
        command.addAll(List.of("large", png.toString()));
        ChildJvm.Result result = ChildJvm.run(command, 300);
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("source=20000x12500").contains("medium=1024x640")
                .contains("thumb=128x128").contains("maxHeapMb=");
        long peak = Long.parseLong(result.output().replaceAll("(?s).*peakHeapMb=(\\d+).*", "$1"));
        assertThat(peak).as(result.output()).isLessThan(512);
    }

    /**
     * Streams a PNG row by row: a colour gradient every 500 rows, and "Up"-filtered repeats (all-zero rows, which
     * deflate to almost nothing) in between, so the file is small and quick to write while the decoder still has to
     * inflate and unfilter every one of the 250 M pixels.
     */
    static void writeStripedPng(Path file, int w, int h) throws IOException {
        try (OutputStream raw = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
             DataOutputStream out = new DataOutputStream(raw)) {
            out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A});
            byte[] ihdr = new byte[13];
            putInt(ihdr, 0, w);
            putInt(ihdr, 4, h);
            ihdr[8] = 8; // bit depth
            ihdr[9] = 2; // truecolour
            chunk(out, "IHDR", ihdr, ihdr.length);
            Deflater deflater = new Deflater(Deflater.BEST_SPEED);
            try (DeflaterOutputStream z = new DeflaterOutputStream(new IdatStream(out), deflater, 1 << 16)) {
                byte[] row = new byte[1 + 3 * w];
                byte[] up = new byte[1 + 3 * w];
                up[0] = 2;
                for (int y = 0; y < h; y++) {
                    if (y % 500 == 0) {
                        row[0] = 0;
                        for (int x = 0; x < w; x++) {
                            row[1 + 3 * x] = (byte) (x * 255 / w);
                            row[2 + 3 * x] = (byte) (y * 255 / h);
                            row[3 + 3 * x] = (byte) ((x / 400 + y / 500) % 2 == 0 ? 40 : 220);
                        }
                        z.write(row);
                    } else {
                        z.write(up);
                    }
                }
            } finally {
                deflater.end();
            }
            chunk(out, "IEND", new byte[0], 0);
        }
    }

    private static void putInt(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }

    static void chunk(DataOutputStream out, String type, byte[] data, int len) throws IOException {
        byte[] t = type.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data, 0, len);
        out.writeInt(len);
        out.write(t);
        out.write(data, 0, len);
        out.writeInt((int) crc.getValue());
    }

    /** Cuts the zlib stream into IDAT chunks of at most 1 MB; closing does not close the file. */
    private static final class IdatStream extends OutputStream {
        private final DataOutputStream out;
        private final byte[] buf = new byte[1 << 20];
        private int n;

        IdatStream(DataOutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            if (n == buf.length) {
                flushChunk();
            }
            buf[n++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            while (len > 0) {
                if (n == buf.length) {
                    flushChunk();
                }
                int k = Math.min(len, buf.length - n);
                System.arraycopy(b, off, buf, n, k);
                n += k;
                off += k;
                len -= k;
            }
        }

        private void flushChunk() throws IOException {
            if (n > 0) {
                chunk(out, "IDAT", buf, n);
                n = 0;
            }
        }

        @Override
        public void close() throws IOException {
            flushChunk();
        }
    }
}
