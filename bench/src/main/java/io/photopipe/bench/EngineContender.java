package io.photopipe.bench;

import io.photopipe.core.Rendition;
import io.photopipe.worker.engine.ImageEngine;
import io.photopipe.worker.engine.RenderedImage;
import java.util.List;

/** photopipe's engine: one subsampled decode, then a cascade, filters included. */
record EngineContender(ImageEngine engine) implements Contender {

    @Override
    public String name() {
        return "engine";
    }

    @Override
    public List<byte[]> render(byte[] photo, List<Rendition> renditions) throws Exception {
        return engine.render(photo, renditions).outputs().stream().map(RenderedImage::bytes).toList();
    }
}
