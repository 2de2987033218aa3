package io.photopipe.worker.bench;

import io.photopipe.core.Rendition;
import io.photopipe.worker.engine.ImageEngine;
import io.photopipe.worker.engine.RenderResult;
import io.photopipe.worker.engine.RenderedImage;
import java.util.List;

/** photopipe's engine: one subsampled decode, then a cascade, filters included. */
record EngineContender(ImageEngine engine) implements Contender {

    @Override
    public String name() {
        return "engine";
    }

    @Override
    public long render(byte[] photo, List<Rendition> renditions) throws Exception {
        RenderResult result = engine.render(photo, renditions);
        long bytes = 0;
        for (RenderedImage out : result.outputs()) {
            bytes += out.bytes().length;
        }
        return bytes;
    }
}
