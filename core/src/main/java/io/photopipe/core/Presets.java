package io.photopipe.core;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/** Identity of a preset configuration, recorded on every output so a change of presets is detected. */
public final class Presets {
    private Presets() {
    }

    /** First 16 hex digits of the SHA-256 of the renditions' JSON and the background colour. */
    public static String hash(List<Rendition> renditions, String jpegBackground) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(PipelineSettings.renditionsToJson(renditions).getBytes(StandardCharsets.UTF_8));
            sha.update(jpegBackground.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest(), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
