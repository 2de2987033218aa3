package io.photopipe.worker.engine;

import static io.photopipe.worker.engine.TestImages.decode;
import static io.photopipe.worker.engine.TestImages.meanDiff;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.photopipe.core.Fit;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.util.List;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The native decoders' pixel layouts come out right: leptonica's 8 bpp grey (four pixels per 32-bit word, first in
 * the top byte), colour-mapped GIFs (converted to 32 bpp by leptonica) and 32 bpp RGB TIFFs, each rendered at its
 * own size and compared with the picture it was written from. A byte-order slip would scramble columns.
 */
class NativeDecodeLayoutsTest {

    private final ImageEngine engine = TestImages.engine();

    @BeforeAll
    static void nativeCodecs() {
        assumeTrue(Codecs.nativeAvailable(), Codecs.nativeStatus());
    }

    @Test
    void greyJpegThroughLeptonicasEightBitPix() throws Exception {
        BufferedImage grey = new BufferedImage(203, 97, BufferedImage.TYPE_BYTE_GRAY); // odd width: a partial last word
        for (int y = 0; y < grey.getHeight(); y++) {
            for (int x = 0; x < grey.getWidth(); x++) {
                grey.getRaster().setSample(x, y, 0, (x * 255 / grey.getWidth() + (y / 10) * 20) & 0xFF);
            }
        }
        BufferedImage back = roundTrip(write(grey, "jpeg", null), grey.getWidth(), grey.getHeight(), "native-jpeg");
        assertThat(meanDiff(asRgb(grey), back)).isLessThan(3);
    }

    @Test
    void stillOpaqueGifThroughGiflibAndLeptonicasColourMap() throws Exception {
        BufferedImage card = TestImages.card(150, 90);
        BufferedImage indexed = new BufferedImage(150, 90, BufferedImage.TYPE_BYTE_INDEXED);
        Graphics2D g = indexed.createGraphics();
        g.drawImage(card, 0, 0, null);
        g.dispose();
        BufferedImage back = roundTrip(write(indexed, "gif", null), 150, 90, "native-gif");
        assertThat(meanDiff(asRgb(indexed), back)).isLessThan(1);
    }

    @Test
    void lzwTiffThroughLibtiff() throws Exception {
        BufferedImage card = TestImages.card(181, 77);
        BufferedImage back = roundTrip(write(card, "tiff", "LZW"), 181, 77, "native-tiff");
        assertThat(meanDiff(card, back)).isLessThan(1);
    }

    private BufferedImage roundTrip(byte[] file, int w, int h, String route) throws Exception {
        RenderResult r = engine.render(file, List.of(TestImages.png("same", w, h, Fit.EXACT)));
        assertThat(engine.decodes().get(route)).as("decoded by %s: %s", route, engine.decodes()).isEqualTo(1);
        return decode(r.outputs().getFirst());
    }

    private static byte[] write(BufferedImage image, String format, String compression) throws Exception {
        ImageWriter writer = ImageIO.getImageWritersByFormatName(format).next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            if (compression != null) {
                param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                param.setCompressionType(compression);
            } else if (format.equals("jpeg")) {
                param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                param.setCompressionQuality(0.95f);
            }
            writer.write(null, new IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    private static BufferedImage asRgb(BufferedImage src) {
        BufferedImage rgb = new BufferedImage(src.getWidth(), src.getHeight(), BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < src.getHeight(); y++) {
            for (int x = 0; x < src.getWidth(); x++) {
                int v = src.getType() == BufferedImage.TYPE_BYTE_GRAY ? src.getRaster().getSample(x, y, 0) : -1;
                rgb.setRGB(x, y, v >= 0 ? v << 16 | v << 8 | v : src.getRGB(x, y));
            }
        }
        return rgb;
    }
}
