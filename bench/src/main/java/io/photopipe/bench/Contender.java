package io.photopipe.bench;

import io.photopipe.core.Rendition;
import java.util.List;

/** One way of making renditions, measured by the benchmark. */
interface Contender {

    String name();

    /**
     * Makes every rendition of {@code photo}: the encoded bytes, one entry per rendition in order, null where this
     * contender cannot make that rendition (e.g. WebP without a writer).
     */
    List<byte[]> render(byte[] photo, List<Rendition> renditions) throws Exception;

    /** Whether heap and native memory of this JVM measure this contender (false for external processes). */
    default boolean inProcess() {
        return true;
    }
}
