package io.photopipe.worker.engine;

import static io.photopipe.worker.engine.TestImages.decode;
import static io.photopipe.worker.engine.TestImages.png;
import static org.assertj.core.api.Assertions.assertThat;

import io.photopipe.core.Fit;
import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.DeflaterOutputStream;
import org.junit.jupiter.api.Test;

/**
 * The JDK's PNG reader ignores {@code iCCP}; the engine converts such PNGs to sRGB itself. A grey of 128 tagged as
 * linear RGB is a light grey (about 188) in sRGB.
 */
class PngIccProfileTest {

    @Test
    void aPngTaggedLinearRgbIsConvertedToSrgb() throws Exception {
        BufferedImage grey = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) {
                grey.setRGB(x, y, 0x808080);
            }
        }
        byte[] plain = TestImages.encodePng(grey);
        byte[] tagged = OrientationContainersTest.withPngChunk(plain, "iCCP",
                iccp("linear", ICC_Profile.getInstance(ColorSpace.CS_LINEAR_RGB).getData()));
        ImageEngine engine = TestImages.engine();
        int before = decode(engine.render(plain, List.of(png("p", 64, 64, Fit.FIT))).outputs().getFirst())
                .getRGB(32, 32) & 0xFF;
        int after = decode(engine.render(tagged, List.of(png("p", 64, 64, Fit.FIT))).outputs().getFirst())
                .getRGB(32, 32) & 0xFF;
        assertThat(before).isEqualTo(128);
        assertThat(after).isBetween(180, 196);
    }

    private static byte[] iccp(String name, byte[] profile) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(name.getBytes(StandardCharsets.ISO_8859_1));
        out.write(0); // end of name
        out.write(0); // compression method: zlib
        try (DeflaterOutputStream z = new DeflaterOutputStream(out)) {
            z.write(profile);
        }
        return out.toByteArray();
    }
}
