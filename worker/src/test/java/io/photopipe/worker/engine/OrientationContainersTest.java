package io.photopipe.worker.engine;

import static io.photopipe.worker.engine.TestImages.corpus;
import static io.photopipe.worker.engine.TestImages.decode;
import static io.photopipe.worker.engine.TestImages.meanDiff;
import static io.photopipe.worker.engine.TestImages.png;
import static org.assertj.core.api.Assertions.assertThat;

import io.photopipe.core.Fit;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

/**
 * EXIF orientation is found in every container that carries it, not only JPEG: a PNG {@code eXIf} chunk, a WebP
 * {@code EXIF} chunk (extended VP8X file) and a TIFF's own IFD0. Each fixture is a corpus file with orientation 6
 * (rotate 90 degrees clockwise) written into it.
 */
class OrientationContainersTest {

    /** A big-endian TIFF structure with one IFD0 entry: Orientation (0x0112) = 6. */
    private static final byte[] EXIF_ROTATE_90 = {
        'M', 'M', 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0, 0, 0, 0, 0};

    private final ImageEngine engine = TestImages.engine();

    @Test
    void pngExifChunk() throws Exception {
        byte[] plain = TestImages.encodePng(TestImages.card(160, 100));
        assertRotated(plain, withPngChunk(plain, "eXIf", EXIF_ROTATE_90));
    }

    @Test
    void webpExifChunk() throws Exception {
        byte[] plain = corpus("webp_lossy_yellow_rose.lossy.webp");
        assertRotated(plain, withWebpExif(plain, 400, 301, EXIF_ROTATE_90));
    }

    @Test
    void tiffOrientationTag() throws Exception {
        byte[] plain = corpus("tiff_video-001.tiff");
        assertRotated(plain, withTiffOrientation(plain, 6));
    }

    private void assertRotated(byte[] plain, byte[] rotated) throws Exception {
        ImageInfo a = engine.probe(plain);
        ImageInfo b = engine.probe(rotated);
        assertThat(a.orientation()).isEqualTo(1);
        assertThat(b.orientation()).isEqualTo(6);
        assertThat(b.displayWidth()).isEqualTo(a.height());
        BufferedImage upright = decode(engine.render(rotated, List.of(png("o", 1000, 1000, Fit.FIT))).outputs().getFirst());
        BufferedImage reference = decode(engine.render(plain, List.of(png("o", 1000, 1000, Fit.FIT))).outputs().getFirst());
        assertThat(upright.getWidth()).isEqualTo(reference.getHeight());
        assertThat(meanDiff(rotateClockwise(reference), upright)).isLessThan(1);
    }

    private static BufferedImage rotateClockwise(BufferedImage src) {
        BufferedImage out = new BufferedImage(src.getHeight(), src.getWidth(), BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < src.getHeight(); y++) {
            for (int x = 0; x < src.getWidth(); x++) {
                out.setRGB(src.getHeight() - 1 - y, x, src.getRGB(x, y));
            }
        }
        return out;
    }

    /** Inserts a chunk right after IHDR (8-byte signature + 25-byte IHDR chunk). */
    static byte[] withPngChunk(byte[] png, String type, byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(png, 0, 33);
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(t);
        out.writeBytes(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
        out.write(png, 33, png.length - 33);
        return out.toByteArray();
    }

    /** Turns a simple lossy WebP (RIFF, VP8 chunk) into an extended one (VP8X, VP8, EXIF). */
    static byte[] withWebpExif(byte[] webp, int width, int height, byte[] exif) {
        byte[] vp8 = java.util.Arrays.copyOfRange(webp, 12, webp.length);
        ByteBuffer vp8x = ByteBuffer.allocate(18).order(ByteOrder.LITTLE_ENDIAN);
        vp8x.put("VP8X".getBytes(StandardCharsets.US_ASCII)).putInt(10).put((byte) 0x08).put(new byte[3]);
        vp8x.put((byte) (width - 1)).put((byte) ((width - 1) >> 8)).put((byte) ((width - 1) >> 16));
        vp8x.put((byte) (height - 1)).put((byte) ((height - 1) >> 8)).put((byte) ((height - 1) >> 16));
        int exifPadded = exif.length + (exif.length & 1);
        ByteBuffer exifChunk = ByteBuffer.allocate(8 + exifPadded).order(ByteOrder.LITTLE_ENDIAN);
        exifChunk.put("EXIF".getBytes(StandardCharsets.US_ASCII)).putInt(exif.length).put(exif);
        int riffSize = 4 + vp8x.capacity() + vp8.length + exifChunk.capacity();
        ByteBuffer out = ByteBuffer.allocate(8 + riffSize).order(ByteOrder.LITTLE_ENDIAN);
        out.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(riffSize).put("WEBP".getBytes(StandardCharsets.US_ASCII));
        out.put(vp8x.array()).put(vp8).put(exifChunk.array());
        return out.array();
    }

    /** Sets the Orientation entry of IFD0 (the corpus TIFF has one) to {@code value}. */
    static byte[] withTiffOrientation(byte[] tiff, int value) {
        byte[] out = tiff.clone();
        ByteBuffer b = ByteBuffer.wrap(out).order(out[0] == 'I' ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
        int ifd = b.getInt(4);
        int entries = b.getShort(ifd) & 0xFFFF;
        for (int i = 0; i < entries; i++) {
            int e = ifd + 2 + 12 * i;
            if ((b.getShort(e) & 0xFFFF) == 0x0112) {
                b.putShort(e + 8, (short) value);
                return out;
            }
        }
        throw new IllegalStateException("no Orientation tag in IFD0");
    }
}
