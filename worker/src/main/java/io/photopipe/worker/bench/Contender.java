package io.photopipe.worker.bench;

import io.photopipe.core.Rendition;
import java.util.List;

/** One way of making renditions, measured by the benchmark. */
interface Contender {

    String name();

    /** Makes every rendition of {@code photo}; returns the number of output bytes (so no work is optimised away). */
    long render(byte[] photo, List<Rendition> renditions) throws Exception;
}
