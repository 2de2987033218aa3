package io.photopipe.worker.engine.internal;

import java.awt.AlphaComposite;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Point;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferInt;
import java.awt.image.DirectColorModel;
import java.awt.image.Raster;
import java.awt.image.SinglePixelPackedSampleModel;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Draws watermark text with DejaVu Sans shipped in this jar, so it renders the same everywhere, including Lambda's
 * Java runtimes, which have neither fonts nor fontconfig. Without any system font the JDK's font manager fails to
 * start ("Fontconfig head is null", even for {@link Font#createFont}); so, unless the application chose a font
 * configuration itself, this class points {@code sun.awt.fontconfig} at a generated {@code fontconfig.properties}
 * that maps every logical font to the shipped file before the first font is used. If text still cannot be drawn,
 * the rendition is made without the watermark and the reason is logged: a photo never fails over a font.
 */
final class Watermark {

    private static final System.Logger LOG = System.getLogger(Watermark.class.getName());
    private static final String FONT_RESOURCE = "/io/photopipe/worker/engine/fonts/DejaVuSans.ttf";
    private static final Font FONT = loadFont();

    private Watermark() {
    }

    /** Whether the shipped font loaded (watermarks are drawn). */
    static boolean available() {
        return FONT != null;
    }

    /** Draws {@code text} at the bottom right of the straight-ARGB {@code argb} ({@code w x h}). */
    static void draw(int[] argb, int w, int h, boolean alpha, String text) {
        if (FONT == null) {
            LOG.log(Level.ERROR, "watermark ''{0}'' not drawn: no usable font (see the first error of this class)", text);
            return;
        }
        BufferedImage image = wrap(argb, w, h, alpha);
        Graphics2D g = image.createGraphics();
        try {
            float size = Math.max(9f, Math.min(w, h) * 0.07f);
            Font font = FONT.deriveFont(Font.PLAIN, size);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
            FontMetrics fm = g.getFontMetrics(font);
            int margin = Math.max(2, Math.round(size / 2));
            int textWidth = fm.stringWidth(text);
            if (textWidth > w - 2 * margin && textWidth > 0) {
                font = font.deriveFont(Math.max(6f, size * (w - 2 * margin) / (float) textWidth));
                fm = g.getFontMetrics(font);
                textWidth = fm.stringWidth(text);
            }
            g.setFont(font);
            int x = Math.max(margin, w - margin - textWidth);
            int y = h - margin - fm.getDescent();
            int shadow = Math.max(1, Math.round(font.getSize2D() / 16));
            g.setComposite(AlphaComposite.getInstance(AlphaComposite.SRC_OVER, 0.55f));
            g.setColor(Color.BLACK);
            g.drawString(text, x + shadow, y + shadow);
            g.setComposite(AlphaComposite.getInstance(AlphaComposite.SRC_OVER, 0.8f));
            g.setColor(Color.WHITE);
            g.drawString(text, x, y);
        } catch (RuntimeException | Error e) {
            LOG.log(Level.ERROR, "watermark ''" + text + "'' not drawn: " + e, e);
        } finally {
            g.dispose();
        }
    }

    /** A view of straight ARGB (or opaque RGB) ints as an image Java2D draws on directly. */
    static BufferedImage wrap(int[] argb, int w, int h, boolean alpha) {
        DataBufferInt buffer = new DataBufferInt(argb, w * h);
        int[] masks = alpha ? new int[] {0xFF0000, 0xFF00, 0xFF, 0xFF000000} : new int[] {0xFF0000, 0xFF00, 0xFF};
        WritableRaster raster = Raster.createWritableRaster(
                new SinglePixelPackedSampleModel(DataBuffer.TYPE_INT, w, h, masks), buffer, new Point());
        DirectColorModel cm = alpha ? new DirectColorModel(32, 0xFF0000, 0xFF00, 0xFF, 0xFF000000)
                : new DirectColorModel(24, 0xFF0000, 0xFF00, 0xFF);
        return new BufferedImage(cm, raster, false, null);
    }

    private static Font loadFont() {
        try {
            configureFontsIfUnset();
            try (InputStream in = Watermark.class.getResourceAsStream(FONT_RESOURCE)) {
                if (in == null) {
                    throw new IOException(FONT_RESOURCE + " is missing from the jar");
                }
                return Font.createFont(Font.TRUETYPE_FONT, in);
            }
        } catch (IOException | java.awt.FontFormatException | RuntimeException | Error e) {
            // a damaged jar, InternalError("Fontconfig head is null"), ...: never fail a photo on it
            LOG.log(Level.ERROR, "watermarks are disabled: the shipped font could not be loaded: " + e, e);
            return null;
        }
    }

    /**
     * Writes the font and a {@code fontconfig.properties} naming it under the temp directory (Lambda: /tmp) and
     * points the JDK at them, unless {@code sun.awt.fontconfig} is set already.
     */
    private static void configureFontsIfUnset() {
        if (System.getProperty("sun.awt.fontconfig") != null) {
            return;
        }
        try {
            Path dir = Path.of(System.getProperty("java.io.tmpdir"), "photopipe-fonts");
            Files.createDirectories(dir);
            Path ttf = dir.resolve("DejaVuSans.ttf");
            try (InputStream in = Watermark.class.getResourceAsStream(FONT_RESOURCE)) {
                if (in == null) {
                    return;
                }
                Path part = Files.createTempFile(dir, "font", ".part");
                Files.copy(in, part, StandardCopyOption.REPLACE_EXISTING);
                Files.move(part, ttf, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
            StringBuilder p = new StringBuilder("# written by photopipe: every logical font is DejaVu Sans\nversion=1\n");
            for (String family : new String[] {"serif", "sansserif", "monospaced", "dialog", "dialoginput"}) {
                for (String style : new String[] {"plain", "bold", "italic", "bolditalic"}) {
                    p.append(family).append('.').append(style).append(".latin-1=DejaVu Sans\n");
                }
            }
            p.append("sequence.allfonts=latin-1\n");
            p.append("filename.DejaVu_Sans=").append(ttf.toAbsolutePath().toString().replace("\\", "/")).append('\n');
            Path props = dir.resolve("fontconfig.properties");
            Path part = Files.createTempFile(dir, "fontconfig", ".part");
            Files.writeString(part, p, StandardCharsets.ISO_8859_1);
            Files.move(part, props, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            System.setProperty("sun.awt.fontconfig", props.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
