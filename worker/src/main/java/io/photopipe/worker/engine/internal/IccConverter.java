package io.photopipe.worker.engine.internal;

import java.awt.color.ColorSpace;
import java.awt.color.ICC_ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.ColorConvertOp;
import java.awt.image.WritableRaster;

/**
 * Converts RGB pixels tagged with an embedded ICC profile (e.g. PNG {@code iCCP}, which the JDK's PNG reader
 * ignores) to sRGB with the JDK's colour management (LittleCMS).
 */
final class IccConverter {

    private final ColorConvertOp op;

    private IccConverter(ColorConvertOp op) {
        this.op = op;
    }

    static IccConverter of(ICC_Profile profile) {
        ColorSpace srgb = ColorSpace.getInstance(ColorSpace.CS_sRGB);
        return new IccConverter(new ColorConvertOp(new ICC_ColorSpace(profile), srgb, null));
    }

    /** Converts the colour channels of {@code pixels} in place (alpha is left alone). */
    void apply(Pixels pixels) {
        WritableRaster all = pixels.asImage().getRaster();
        WritableRaster rgb = all.createWritableChild(0, 0, pixels.width(), pixels.height(), 0, 0, new int[] {0, 1, 2});
        WritableRaster out = rgb.createCompatibleWritableRaster();
        op.filter(rgb, out);
        rgb.setRect(out);
    }
}
