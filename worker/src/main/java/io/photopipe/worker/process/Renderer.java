package io.photopipe.worker.process;

import io.photopipe.core.Rendition;
import io.photopipe.worker.engine.PhotoRejectedException;
import io.photopipe.worker.engine.RenderResult;
import java.util.List;

/** Makes renditions from a photo's bytes: the image engine ({@code ImageEngine::render}) in production. */
@FunctionalInterface
public interface Renderer {

    /**
     * @throws PhotoRejectedException when the photo cannot be made into renditions (its {@code code()} becomes the
     *                                DLQ reason code)
     */
    RenderResult render(byte[] photo, List<Rendition> renditions) throws PhotoRejectedException;
}
