package io.photopipe.worker;

import io.photopipe.core.Rendition;
import io.photopipe.worker.engine.ImageEngine;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.util.List;
import javax.imageio.ImageIO;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renders a tiny generated photo once while the function initialises, so the first real photo does not pay for
 * loading the decoders, encoders, colour management and fonts (seconds on a small Lambda). With SnapStart the
 * primed state is part of the snapshot
 * (<a href="https://docs.aws.amazon.com/lambda/latest/dg/snapstart-best-practices.html">priming</a>).
 */
final class Warmup {
    private static final Logger LOG = LoggerFactory.getLogger(Warmup.class);

    private Warmup() {
    }

    static void prime(ImageEngine engine, List<Rendition> renditions) {
        try {
            BufferedImage img = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = img.createGraphics();
            g.setPaint(new GradientPaint(0, 0, Color.ORANGE, 64, 48, Color.BLUE));
            g.fillRect(0, 0, 64, 48);
            g.dispose();
            ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
            ImageIO.write(img, "jpeg", jpeg);
            engine.render(jpeg.toByteArray(), renditions);
        } catch (Exception | LinkageError e) {
            // Not fatal: the first photo will just be slower (and fail on its own if something is truly broken).
            LOG.warn("warm-up render failed: {}", e.toString());
        }
    }
}
