package io.photopipe.bench;

import io.photopipe.worker.engine.ImageEngine;

/**
 * Which decoders and encoders the engine runs, as the engine itself reports it. The one place the bench asks: when
 * the engine describes every format's codec (the native layer), switch this method to that description.
 */
final class Codecs {
    private Codecs() {
    }

    static String describe() {
        return "JPEG decoder: " + ImageEngine.jpegDecoder();
    }
}
