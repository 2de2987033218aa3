package io.photopipe.worker.testing;

import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/** Small photos made in code, for tests where the picture does not matter (the corpus covers the real files). */
public final class Photos {
    /** Two quick renditions, so tests about messages and failures do not spend their time encoding. */
    public static final String SMALL_PRESETS = "[{\"name\":\"thumb\",\"width\":64,\"height\":64,\"fit\":\"cover\","
            + "\"format\":\"jpeg\",\"quality\":0.8},{\"name\":\"small\",\"width\":160,\"height\":160,\"fit\":\"fit\","
            + "\"format\":\"png\"}]";

    private Photos() {
    }

    /** A {@code width} x {@code height} JPEG with a gradient whose colours depend on {@code seed}. */
    public static byte[] jpeg(int width, int height, int seed) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setPaint(new GradientPaint(0, 0, new Color(seed * 40 % 256, 90, 200), width, height,
                new Color(250, seed * 70 % 256, 30)));
        g.fillRect(0, 0, width, height);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(img, "jpeg", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
